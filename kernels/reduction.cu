// Reductions over broadcast positions (sum_to) and along one axis (max_axis).
#include "common.cuh"
#include "reduce.cuh"

// out (contiguous, `outputs` elements) = sum of x over the reduced positions. kept.strideA holds the
// x strides of the kept dimensions, reduced.strideA those of the summed ones (strideB is unused).

// One thread per output, for short reductions.
extern "C" __global__ void sum_to_thread_f32(const float* __restrict__ x, float* __restrict__ out, long long outputs,
                                             Layout kept, Layout reduced, long long count) {
    for (long long o = firstIndex(); o < outputs; o += gridStride()) {
        const long long base = layoutOffsetA(kept, o);
        float sum = 0.0f;
        for (long long r = 0; r < count; ++r) sum += x[base + layoutOffsetA(reduced, r)];
        out[o] = sum;
    }
}

// One block per output, for long reductions (bias gradients, axis sums).
extern "C" __global__ void sum_to_block_f32(const float* __restrict__ x, float* __restrict__ out, long long outputs,
                                            Layout kept, Layout reduced, long long count) {
    __shared__ float scratch[32];
    for (long long o = blockIdx.x; o < outputs; o += gridDim.x) {
        const long long base = layoutOffsetA(kept, o);
        float sum = 0.0f;
        for (long long r = threadIdx.x; r < count; r += blockDim.x) sum += x[base + layoutOffsetA(reduced, r)];
        sum = blockSum(sum, scratch);
        if (threadIdx.x == 0) out[o] = sum;
    }
}

// x viewed as (outer, n, inner) -> out and argmax (outer, inner); argmax may be null. The first
// maximum wins ties; NaNs are skipped unless the whole slice is NaN.
extern "C" __global__ void max_axis_f32(const float* __restrict__ x, int outer, int n, int inner,
                                        float* __restrict__ out, int* __restrict__ argmax) {
    const long long outputs = (long long)outer * inner;
    for (long long idx = firstIndex(); idx < outputs; idx += gridStride()) {
        const long long o = idx / inner, i = idx % inner;
        const float* slice = x + o * n * inner + i;
        float best = slice[0];
        int bestIndex = 0;
        for (int j = 1; j < n; ++j) {
            const float v = slice[(long long)j * inner];
            if (v > best || (best != best && v == v)) { best = v; bestIndex = j; }
        }
        out[idx] = best;
        if (argmax != nullptr) argmax[idx] = bestIndex;
    }
}
