// Batched row-major SGEMM, the fallback when cuBLAS is missing:
//   C_z = alpha * op(A_z) * op(B_z) + beta * C_z, op(A) m x k (A stored k x m if transA),
//   op(B) k x n (B stored n x k if transB); matrix z starts z * stride elements in (0 broadcasts).
// Each 256-thread block computes a 64 x 64 tile of C from 64 x 16 and 16 x 64 tiles staged in shared
// memory; each thread holds a 4 x 4 register block at rows ty + 16 i and columns tx + 16 j, which
// keeps the shared-memory reads of a warp conflict-free. Grid: (n / 64, m / 64, batch).
#include "common.cuh"

#define BM 64
#define BN 64
#define BK 16
#define THREADS 256
#define RB 4  // register block per thread in each direction

// Loads the BK-deep slice [k0, k0 + BK) of rows [row0, row0 + TILE) of a matrix M (rows × k) into
// tile[kk][r] = M(row0 + r, k0 + kk), zero outside M. M is stored row-major (rows × k) or k-major
// (k × rows); the loop maps consecutive threads to consecutive stored addresses so loads coalesce.
// A is M with rows = m (k-major when transA); B is Mᵀ with rows = n (k-major unless transB).
template <int TILE>
__device__ __forceinline__ void loadTile(const float* M, bool kMajor, int rows, int k, int row0, int k0,
                                         float (*tile)[TILE + 1]) {
    for (int e = threadIdx.x; e < TILE * BK; e += THREADS) {
        int r, kk;
        if (kMajor) { kk = e / TILE; r = e % TILE; } else { r = e / BK; kk = e % BK; }
        const int row = row0 + r, col = k0 + kk;
        float v = 0.0f;
        if (row < rows && col < k) v = kMajor ? M[(long long)col * rows + row] : M[(long long)row * k + col];
        tile[kk][r] = v;
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
sgemm_f32(int transA, int transB, int batch, int m, int n, int k, float alpha,
          const float* __restrict__ A, long long strideA, const float* __restrict__ B, long long strideB,
          float beta, float* __restrict__ C, long long strideC) {
    __shared__ float As[BK][BM + 1];
    __shared__ float Bs[BK][BN + 1];
    const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
    const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
    for (long long z = blockIdx.z; z < batch; z += gridDim.z) {
        const float* Az = A + z * strideA;
        const float* Bz = B + z * strideB;
        float* Cz = C + z * strideC;
        float acc[RB][RB];
        for (int i = 0; i < RB; ++i)
            for (int j = 0; j < RB; ++j) acc[i][j] = 0.0f;
        for (int k0 = 0; k0 < k; k0 += BK) {
            loadTile<BM>(Az, transA != 0, m, k, row0, k0, As);
            loadTile<BN>(Bz, transB == 0, n, k, col0, k0, Bs);
            __syncthreads();
#pragma unroll
            for (int kk = 0; kk < BK; ++kk) {
                float a[RB], b[RB];
#pragma unroll
                for (int i = 0; i < RB; ++i) a[i] = As[kk][ty + 16 * i];
#pragma unroll
                for (int j = 0; j < RB; ++j) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
                for (int i = 0; i < RB; ++i)
#pragma unroll
                    for (int j = 0; j < RB; ++j) acc[i][j] += a[i] * b[j];
            }
            __syncthreads();  // the next k-step overwrites the tiles
        }
        for (int i = 0; i < RB; ++i) {
            const int row = row0 + ty + 16 * i;
            if (row >= m) continue;
            for (int j = 0; j < RB; ++j) {
                const int col = col0 + tx + 16 * j;
                if (col >= n) continue;
                float* c = &Cz[(long long)row * n + col];
                *c = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *c;  // beta 0: C unread (may be NaN)
            }
        }
    }
}
