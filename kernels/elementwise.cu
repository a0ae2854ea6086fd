// Elementwise kernels without broadcasting: one thread per element, grid-stride loops.
#include "common.cuh"
#include "ops.cuh"

extern "C" __global__ void fill_f32(float* __restrict__ t, long long n, float value) {
    for (long long i = firstIndex(); i < n; i += gridStride()) t[i] = value;
}

// y may alias x, so neither pointer is __restrict__.
extern "C" __global__ void unary_f32(int op, const float* x, float* y, long long n) {
    for (long long i = firstIndex(); i < n; i += gridStride()) y[i] = unaryValue(op, x[i]);
}

// dx may alias dy.
extern "C" __global__ void unary_backward_f32(int op, const float* __restrict__ x, const float* __restrict__ y,
                                              const float* dy, float* dx, long long n) {
    for (long long i = firstIndex(); i < n; i += gridStride()) dx[i] = dy[i] * unaryDerivative(op, x[i], y[i]);
}

extern "C" __global__ void scalar_f32(int op, const float* x, float s, float* y, long long n) {
    for (long long i = firstIndex(); i < n; i += gridStride()) y[i] = scalarValue(op, x[i], s);
}
