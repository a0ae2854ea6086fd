// Correct kernels that exercise barriers, shuffles, votes, atomics, dynamic shared memory, 2-D
// blocks, templates and overloads; their results are exact (integer-valued floats), so they must
// match under every resume order.
#include "portable.cuh"

// Per block: sums[b] = sum of x over the block, counts[b] = how many are positive; total and
// positives accumulate over all blocks through atomics. Any multiple of 32 threads per block.
extern "C" __global__ void block_sum(const float* x, int n, float* sums, int* counts, float* total,
                                     unsigned* positives) {
    __shared__ float warpSums[32];
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    const float v = i < n ? x[i] : 0.0f;
    const unsigned positive = __ballot_sync(0xffffffffu, v > 0.0f);
    if (lane == 0) atomicAdd(positives, (unsigned)__popc(positive));
    float s = v;
    for (int offset = 16; offset > 0; offset >>= 1) s += __shfl_down_sync(0xffffffffu, s, offset);
    if (lane == 0) warpSums[warp] = s;
    const int count = __syncthreads_count(v > 0.0f);
    if (warp == 0) {
        s = lane < warps ? warpSums[lane] : 0.0f;
        for (int offset = 16; offset > 0; offset >>= 1) s += __shfl_xor_sync(0xffffffffu, s, offset);
        if (lane == 0) {
            sums[blockIdx.x] = s;
            counts[blockIdx.x] = count;
            atomicAdd(total, s);
        }
    }
}

// Inclusive prefix sums within segments of 8 lanes (__shfl_up_sync with a width), plus the
// segment total broadcast from its last lane (__shfl_sync with a width), through dynamic shared
// memory. One warp per block; out has 2 values per thread.
extern "C" __global__ void segment_scan(const int* x, int* out) {
    RECUR_DYNAMIC_SHARED(int, staged);
    const int lane = threadIdx.x;
    staged[lane] = x[blockIdx.x * 32 + lane];
    __syncwarp();
    int v = staged[lane];
    for (int d = 1; d < 8; d <<= 1) {
        const int up = __shfl_up_sync(0xffffffffu, v, d, 8);
        if ((lane & 7) >= d) v += up;
    }
    const int total = __shfl_sync(0xffffffffu, v, 7, 8);
    const int any = __any_sync(0xffffffffu, v > 100), all = __all_sync(0xffffffffu, v >= 0);
    out[(blockIdx.x * 32 + lane) * 2] = v;
    out[(blockIdx.x * 32 + lane) * 2 + 1] = total + 1000 * any + 10000 * all;
}

// A tiled transpose of a rows x cols int matrix with (32, 8) blocks: 2-D thread indices.
extern "C" __global__ void transpose_tiled(const int* in, int rows, int cols, int* out) {
    __shared__ int tile[32][33];
    const int c0 = blockIdx.x * 32, r0 = blockIdx.y * 32;
    for (int k = threadIdx.y; k < 32; k += 8)
        if (r0 + k < rows && c0 + threadIdx.x < cols) tile[k][threadIdx.x] = in[(r0 + k) * cols + c0 + threadIdx.x];
    __syncthreads();
    for (int k = threadIdx.y; k < 32; k += 8)
        if (c0 + k < cols && r0 + threadIdx.x < rows) out[(c0 + k) * rows + r0 + threadIdx.x] = tile[threadIdx.x][k];
}

// A template instance and two overloads: their PTX entries are mangled names.
template <class T, int K>
__global__ void scale(T* x, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] *= (T)K;
}
template __global__ void scale<float, 3>(float*, int);

__global__ void fill(float* x, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = 1.5f;
}
__global__ void fill(int* x, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = 7;
}
