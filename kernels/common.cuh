// Indexing helpers shared by every kernel family.
#pragma once

// 64-bit loop indices: tensors may hold up to 2^31-1 elements, and i + stride must not overflow.
__device__ __forceinline__ long long firstIndex() {
    return (long long)blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ long long gridStride() {
    return (long long)blockDim.x * gridDim.x;
}

// Up to 8 dimensions of an iteration space with the strides of two operands in it (0 where an
// operand is broadcast). The host coalesces contiguous dimensions first, so 8 is rarely reached.
// Passed by value as a kernel parameter: 25 ints, laid out exactly as the host packs them.
#define RECUR_MAX_DIMS 8
struct Layout {
    int rank;
    int size[RECUR_MAX_DIMS];
    int strideA[RECUR_MAX_DIMS];
    int strideB[RECUR_MAX_DIMS];
};

// Element offsets of operands A and B at row-major position i of the layout's iteration space.
// The loop is unrolled over the fixed maximum so that the struct is read from parameter space with
// constant indices (a variable index would copy it to local memory).
__device__ __forceinline__ void layoutOffsets(const Layout& L, long long i, long long& a, long long& b) {
    a = 0;
    b = 0;
#pragma unroll
    for (int d = RECUR_MAX_DIMS - 1; d >= 0; --d) {
        if (d >= L.rank) continue;
        const long long c = i % L.size[d];
        i /= L.size[d];
        a += c * L.strideA[d];
        b += c * L.strideB[d];
    }
}

// Offset of operand A only.
__device__ __forceinline__ long long layoutOffsetA(const Layout& L, long long i) {
    long long a = 0;
#pragma unroll
    for (int d = RECUR_MAX_DIMS - 1; d >= 0; --d) {
        if (d >= L.rank) continue;
        a += (i % L.size[d]) * L.strideA[d];
        i /= L.size[d];
    }
    return a;
}
