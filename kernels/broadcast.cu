// Broadcasting kernels: operands are addressed through a Layout of the output's iteration space.
#include "common.cuh"
#include "ops.cuh"

// out may alias a or b when it has the same shape (each element reads its inputs before writing).
extern "C" __global__ void binary_f32(int op, const float* a, const float* b, float* out, long long n, Layout layout) {
    for (long long i = firstIndex(); i < n; i += gridStride()) {
        long long ia, ib;
        layoutOffsets(layout, i, ia, ib);
        out[i] = binaryValue(op, a[ia], b[ib]);
    }
}

// Per output position: dOut * d op / d operand. The host reduces over broadcast positions afterwards
// (sum_to) when the operand is smaller than the output.
extern "C" __global__ void binary_backward_f32(int op, const float* __restrict__ a, const float* __restrict__ b,
                                               const float* dOut, int wrtA, float* grad, long long n, Layout layout) {
    for (long long i = firstIndex(); i < n; i += gridStride()) {
        long long ia, ib;
        layoutOffsets(layout, i, ia, ib);
        grad[i] = dOut[i] * binaryDerivative(op, a[ia], b[ib], wrtA != 0);
    }
}

// A pure copy of 32-bit words: the host views 8-byte element types as pairs of words.
extern "C" __global__ void broadcast_to_u32(const unsigned int* __restrict__ x, unsigned int* __restrict__ out,
                                            long long n, Layout layout) {
    for (long long i = firstIndex(); i < n; i += gridStride()) out[i] = x[layoutOffsetA(layout, i)];
}
