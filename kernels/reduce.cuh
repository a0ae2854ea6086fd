// Warp and block reductions. Blocks that use them must have a multiple of 32 threads, so that every
// warp is full and the full-mask shuffles are valid.
#pragma once

struct SumOp {
    __device__ __forceinline__ float operator()(float a, float b) const { return a + b; }
    static constexpr float identity = 0.0f;
};

struct MaxOp {
    __device__ __forceinline__ float operator()(float a, float b) const { return fmaxf(a, b); }
    static constexpr float identity = -INFINITY;
};

template <class Op>
__device__ __forceinline__ float warpReduce(float v, Op op) {
    for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

// Every thread of the block receives the result. scratch holds 32 floats of shared memory; the
// leading barrier makes it safe to call this several times in a row with the same scratch.
template <class Op>
__device__ __forceinline__ float blockReduce(float v, float* scratch, Op op) {
    v = warpReduce(v, op);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : Op::identity;
    return warpReduce(v, op);
}

__device__ __forceinline__ float blockSum(float v, float* scratch) { return blockReduce(v, scratch, SumOp()); }

__device__ __forceinline__ float blockMax(float v, float* scratch) { return blockReduce(v, scratch, MaxOp()); }
