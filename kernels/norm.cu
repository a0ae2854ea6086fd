// RMSNorm and LayerNorm share these kernels: `centered` (LayerNorm) subtracts the row mean and adds
// a bias. Rows go one per block with block reductions; weight/bias gradients go column-wise.
#include "common.cuh"
#include "reduce.cuh"

// y = (x - mean) * rstd * weight (+ bias); mean (may be null) and rstd saved per row.
extern "C" __global__ void norm_forward_f32(const float* __restrict__ x, const float* __restrict__ weight,
                                            const float* __restrict__ bias, int rows, int dim, float eps, int centered,
                                            float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd) {
    __shared__ float scratch[32];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + r * dim;
        float* yr = y + r * dim;
        float mu = 0.0f;
        if (centered) {
            float s = 0.0f;
            for (int j = threadIdx.x; j < dim; j += blockDim.x) s += xr[j];
            mu = blockSum(s, scratch) / dim;
        }
        float ss = 0.0f;  // two passes: centring first keeps the variance accurate
        for (int j = threadIdx.x; j < dim; j += blockDim.x) { const float d = xr[j] - mu; ss += d * d; }
        const float rs = 1.0f / sqrtf(blockSum(ss, scratch) / dim + eps);
        for (int j = threadIdx.x; j < dim; j += blockDim.x) {
            const float v = (xr[j] - mu) * rs * weight[j];
            yr[j] = bias != nullptr ? v + bias[j] : v;
        }
        if (threadIdx.x == 0) {
            rstd[r] = rs;
            if (mean != nullptr) mean[r] = mu;
        }
    }
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * weight and xhat = (x - mean) * rstd;
// without centring (mean == null) the mean(g) term is absent. dx is overwritten.
extern "C" __global__ void norm_backward_f32(const float* __restrict__ x, const float* __restrict__ weight,
                                             const float* __restrict__ mean, const float* __restrict__ rstd,
                                             const float* __restrict__ dy, int rows, int dim, float* __restrict__ dx) {
    __shared__ float scratch[32];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + r * dim;
        const float* dyr = dy + r * dim;
        float* dxr = dx + r * dim;
        const float mu = mean != nullptr ? mean[r] : 0.0f, rs = rstd[r];
        float sumG = 0.0f, sumGX = 0.0f;
        for (int j = threadIdx.x; j < dim; j += blockDim.x) {
            const float g = dyr[j] * weight[j];
            sumG += g;
            sumGX += g * (xr[j] - mu) * rs;
        }
        const float meanG = mean != nullptr ? blockSum(sumG, scratch) / dim : 0.0f;
        const float meanGX = blockSum(sumGX, scratch) / dim;
        for (int j = threadIdx.x; j < dim; j += blockDim.x) {
            const float xhat = (xr[j] - mu) * rs;
            dxr[j] = rs * (dyr[j] * weight[j] - meanG - xhat * meanGX);
        }
    }
}

// dWeight[j] += sum_r dy[r, j] * xhat[r, j]; dBias[j] += sum_r dy[r, j] (dBias may be null).
// Block (32, 8): 32 adjacent columns, 8 row lanes. grid.x covers the columns; grid.y splits the rows
// into chunks whose partial sums meet through atomics (a single chunk adds deterministically).
#define COLS 32
#define ROW_LANES 8
extern "C" __global__ void norm_affine_grad_f32(const float* __restrict__ x, const float* __restrict__ mean,
                                                const float* __restrict__ rstd, const float* __restrict__ dy,
                                                int rows, int dim, float* __restrict__ dWeight, float* __restrict__ dBias) {
    __shared__ float partW[ROW_LANES][COLS + 1];
    __shared__ float partB[ROW_LANES][COLS + 1];
    const int j = blockIdx.x * COLS + threadIdx.x;
    float w = 0.0f, b = 0.0f;
    if (j < dim) {
        for (long long r = (long long)blockIdx.y * ROW_LANES + threadIdx.y; r < rows; r += (long long)gridDim.y * ROW_LANES) {
            const float mu = mean != nullptr ? mean[r] : 0.0f;
            const float g = dy[r * dim + j];
            w += g * (x[r * dim + j] - mu) * rstd[r];
            b += g;
        }
    }
    partW[threadIdx.y][threadIdx.x] = w;
    partB[threadIdx.y][threadIdx.x] = b;
    __syncthreads();
    if (threadIdx.y == 0 && j < dim) {
        for (int k = 1; k < ROW_LANES; ++k) { w += partW[k][threadIdx.x]; b += partB[k][threadIdx.x]; }
        if (gridDim.y == 1) {
            dWeight[j] += w;
            if (dBias != nullptr) dBias[j] += b;
        } else {
            atomicAdd(&dWeight[j], w);
            if (dBias != nullptr) atomicAdd(&dBias[j], b);
        }
    }
}
