// Row-wise softmax, log-softmax and cross-entropy: one block per row (grid-stride over rows), block
// reductions for the max and the sum. Blocks have a multiple of 32 threads.
#include "common.cuh"
#include "reduce.cuh"

// Shift-invariant statistics of one row: its max and sum(exp(x - max)).
struct RowStats { float max; float sumExp; };

__device__ __forceinline__ RowStats rowStats(const float* row, int cols, float* scratch) {
    float m = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, row[j]);
    m = blockMax(m, scratch);
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(row[j] - m);
    s = blockSum(s, scratch);
    return RowStats{m, s};
}

// y may alias x: every thread writes only the columns it read, after the reductions' barriers.
extern "C" __global__ void softmax_f32(const float* x, int rows, int cols, int log, float* y) {
    __shared__ float scratch[32];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + r * cols;
        float* yr = y + r * cols;
        const RowStats st = rowStats(xr, cols, scratch);
        if (log) {
            // (x - max) first: exact for nearby values, so the largest entries keep their small values
            // (x - (max + log sum) rounds to the precision of max, e.g. 2e-6 absolute for logits near 20)
            const float logSum = logf(st.sumExp);
            for (int j = threadIdx.x; j < cols; j += blockDim.x) yr[j] = (xr[j] - st.max) - logSum;
        } else {
            const float inv = 1.0f / st.sumExp;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) yr[j] = expf(xr[j] - st.max) * inv;
        }
    }
}

// softmax: dx = y * (dy - sum(dy * y)); log-softmax: dx = dy - exp(y) * sum(dy). dx may alias dy.
extern "C" __global__ void softmax_backward_f32(const float* __restrict__ y, const float* dy, int rows, int cols,
                                                int log, float* dx) {
    __shared__ float scratch[32];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* yr = y + r * cols;
        const float* dyr = dy + r * cols;
        float* dxr = dx + r * cols;
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) s += log ? dyr[j] : dyr[j] * yr[j];
        s = blockSum(s, scratch);
        for (int j = threadIdx.x; j < cols; j += blockDim.x)
            dxr[j] = log ? dyr[j] - expf(yr[j]) * s : yr[j] * (dyr[j] - s);
    }
}

// losses[r] = logsumexp(logits[r]) - logits[r, t], 0 where t == ignoreIndex. A target out of range
// (the caller's error) yields NaN rather than an out-of-bounds read.
extern "C" __global__ void cross_entropy_f32(const float* __restrict__ logits, const int* __restrict__ targets,
                                             int rows, int classes, int ignoreIndex, float* __restrict__ losses) {
    __shared__ float scratch[32];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const int t = targets[r];
        if (t == ignoreIndex) {  // uniform across the block: no thread reaches a barrier alone
            if (threadIdx.x == 0) losses[r] = 0.0f;
            continue;
        }
        const float* row = logits + r * classes;
        const RowStats st = rowStats(row, classes, scratch);
        if (threadIdx.x == 0) {
            const float picked = (t >= 0 && t < classes) ? row[t] : __int_as_float(0x7fffffff);
            losses[r] = (st.max - picked) + logf(st.sumExp);  // a confident row's small loss keeps its digits
        }
    }
}

// dLogits[r] = dLosses[r] * (softmax(logits[r]) - onehot(t)), 0 for ignored rows.
extern "C" __global__ void cross_entropy_backward_f32(const float* __restrict__ logits, const int* __restrict__ targets,
                                                      const float* __restrict__ dLosses, int rows, int classes,
                                                      int ignoreIndex, float* __restrict__ dLogits) {
    __shared__ float scratch[32];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const int t = targets[r];
        float* out = dLogits + r * classes;
        if (t == ignoreIndex) {
            for (int j = threadIdx.x; j < classes; j += blockDim.x) out[j] = 0.0f;
            continue;
        }
        const float* row = logits + r * classes;
        const RowStats st = rowStats(row, classes, scratch);
        const float scale = dLosses[r] / st.sumExp;
        const float g = dLosses[r];
        for (int j = threadIdx.x; j < classes; j += blockDim.x)
            out[j] = expf(row[j] - st.max) * scale - (j == t ? g : 0.0f);
    }
}
