// Kernels with planted bugs: each must be caught by the simulator (see tests/sim_selftest.cpp).
// They are valid CUDA as far as nvcc can tell; the bugs show only when they run.
#include "portable.cuh"

// A race: the last thread sums what the others stored, but nothing makes it wait for them. In
// ascending order every other thread has stored by the time the last one runs, so the sum is right;
// in a shuffled order the last thread usually runs early and sums zeros. Block of 256, x all ones.
extern "C" __global__ void race_sum(const float* x, float* out) {
    __shared__ float partial[256];
    const int t = threadIdx.x;
    partial[t] = 0.0f;
    __syncthreads();
    partial[t] = x[blockIdx.x * blockDim.x + t];
    // missing: __syncthreads();
    if (t == blockDim.x - 1) {
        float s = 0.0f;
        for (int k = 0; k < (int)blockDim.x; ++k) s += partial[k];
        out[blockIdx.x] = s;
    }
}

// The first warp waits at one barrier, the others at another.
extern "C" __global__ void divergent_barriers(float* out) {
    __shared__ float s[64];
    s[threadIdx.x] = (float)threadIdx.x;
    if (threadIdx.x < 32) {
        __syncthreads();
        out[threadIdx.x] = s[63 - threadIdx.x];
    } else {
        __syncthreads();
        out[threadIdx.x] = s[63 - threadIdx.x] + 1.0f;
    }
}

// Threads past the end return before the barrier that the others wait at.
extern "C" __global__ void exit_before_barrier(const float* x, float* y, int n) {
    __shared__ float s[128];
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    s[threadIdx.x] = x[i];
    __syncthreads();
    y[i] = s[(threadIdx.x + 1) % blockDim.x];
}

// All 32 lanes shuffle, but the mask names only the lower half.
extern "C" __global__ void shfl_mask_excludes_caller(float* out) {
    float v = (float)threadIdx.x;
    v = __shfl_sync(0x0000ffffu, v, 0);
    out[threadIdx.x] = v;
}

// The full mask, after the upper half of the warp has returned.
extern "C" __global__ void shfl_mask_names_exited(float* out) {
    if ((threadIdx.x & 31) >= 16) return;
    float v = (float)threadIdx.x;
    v += __shfl_down_sync(0xffffffffu, v, 1);
    out[threadIdx.x] = v;
}

// Lanes 0-15 wait at __syncwarp for the whole warp, while lanes 16-31 wait at the block barrier
// for them: neither can proceed.
extern "C" __global__ void deadlock_syncwarp(float* out) {
    __shared__ float s[64];
    s[threadIdx.x] = 1.0f;
    if ((threadIdx.x & 31) < 16) __syncwarp();
    __syncthreads();
    out[threadIdx.x] = s[(threadIdx.x + 1) & 63];
}

// Off by one: thread 31 writes one past the end of a 32-element shared array.
extern "C" __global__ void shared_out_of_range(float* out) {
    __shared__ float s[32];
    s[threadIdx.x + 1] = (float)threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = s[threadIdx.x];
}

// The same mistake in dynamic shared memory (launched with 32 floats of it).
extern "C" __global__ void dynamic_shared_out_of_range(float* out) {
    RECUR_DYNAMIC_SHARED(float, s);
    s[threadIdx.x + 1] = (float)threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = s[threadIdx.x];
}
