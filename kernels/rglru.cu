// Griffin's RG-LRU (recurrentgemma) with the gates fused into the scan: see Backend#rgLru for the
// contract. Layout channels-last, element (b, t, c) at (b * length + t) * width + c, as the models
// hold their activations, so no transposes are needed.
//
// Coalescing: a thread owns one channel of one sequence and walks time itself; the 32 lanes of a
// warp own 32 neighbouring channels, so every load and store of a time step is one 128-byte
// transaction. Blocks are 32 channels x 8 jobs, a job being (batch element, time segment).
// Parallelism is batch x width x segments: the host cuts time into segments when batch x width
// threads cannot fill the device, and then runs the multi-pass form of scan.cu's diagonal scans:
// rglru_reduce_f32 (each segment's composed (a, b) pair, scan.cuh's Affine), scan.cu's
// linear_scan_carry_f32 (the state entering each segment), then the scan kernel from that state.
// The backward walks time backwards with the same segments in reverse order and recomputes every
// gate from the inputs; it reads h (the forward's output) for h_{t-1} instead of storing anything.
#include "ops.cuh"
#include "scan.cuh"

#define RGLRU_CHANNELS 32
#define RGLRU_JOBS 8
#define RGLRU_C 8.0f             // log a = -8 * gate_a * softplus(lambda)
#define RGLRU_MIN_FOUR_U 1e-6f   // SqrtBoundDerivative: d sqrt(u)/du <= 1 / sqrt(1e-6) = 1000

// One element's recurrence coefficient a' (0 at a reset) and input multiplier * gate_x * x.
__device__ __forceinline__ Affine rgLruStep(float x, float gateXPre, float gateAPre, float softplusLambda, bool reset) {
    if (reset) return Affine{0.0f, sigmoidf(gateXPre) * x};
    const float logA = -RGLRU_C * sigmoidf(gateAPre) * softplusLambda;
    const float multiplier = sqrtf(-expm1f(2.0f * logA));  // 1 - a^2 without cancellation near a = 1
    return Affine{expf(logA), multiplier * sigmoidf(gateXPre) * x};
}

// The job's place: batch element, and the time range of its segment. Segment k counts in scan
// order, which for the backward is from the end of the sequence.
struct RgLruJob {
    int b, from, to;
};

__device__ __forceinline__ RgLruJob rgLruJob(int job, int segments, int segLength, int length, int backward) {
    const int k = job % segments;
    const int inTime = backward ? segments - 1 - k : k;
    return RgLruJob{job / segments, inTime * segLength, min(length, (inTime + 1) * segLength)};
}

__device__ __forceinline__ bool rgLruReset(const float* resets, int b, int t, int length) {
    return resets != nullptr && resets[(long long)b * length + t] != 0.0f;
}

// Pass 1 with several segments: the composed map of every segment but the last in scan order, into
// aggregates[((b * width + c) * segments + k) * 2 + {0, 1}] (scan.cu's carry layout). Forward:
// h -> a' h + input, in time order. Backward: the carry (gradient reaching h_t from the future)
// -> a'_t (carry + gradH_t), in reverse time order.
extern "C" __global__ void rglru_reduce_f32(const float* __restrict__ x, const float* __restrict__ gateXPre,
                                            const float* __restrict__ gateAPre, const float* __restrict__ lambda,
                                            const float* __restrict__ resets, const float* __restrict__ gradH,
                                            int batch, int length, int width, int segments, int segLength,
                                            int backward, float* __restrict__ aggregates) {
    const int c = blockIdx.x * RGLRU_CHANNELS + threadIdx.x;
    if (c >= width) return;  // no barriers in this kernel
    const float sp = unaryValue(U_SOFTPLUS, lambda[c]);
    const int jobs = batch * segments;
    for (int job = blockIdx.y * RGLRU_JOBS + threadIdx.y; job < jobs; job += gridDim.y * RGLRU_JOBS) {
        if (job % segments == segments - 1) continue;
        const RgLruJob j = rgLruJob(job, segments, segLength, length, backward);
        Affine agg = affineIdentity();
        for (int s = 0; s < j.to - j.from; ++s) {
            const int t = backward ? j.to - 1 - s : j.from + s;
            const long long i = ((long long)j.b * length + t) * width + c;
            const Affine step = rgLruStep(x[i], gateXPre[i], gateAPre[i], sp, rgLruReset(resets, j.b, t, length));
            agg = compose(agg, backward ? Affine{step.c, step.c * gradH[i]} : step);
        }
        const long long at = ((long long)j.b * width + c) * segments + job % segments;
        aggregates[at * 2] = agg.c;
        aggregates[at * 2 + 1] = agg.x;
    }
}

// The forward: each job scans its segment from the state entering it (entering[(b * width + c) *
// segments + k] from the carry pass, or h0 / 0 with one segment) and writes h.
extern "C" __global__ void rglru_forward_f32(const float* __restrict__ x, const float* __restrict__ gateXPre,
                                             const float* __restrict__ gateAPre, const float* __restrict__ lambda,
                                             const float* __restrict__ resets, const float* __restrict__ h0,
                                             int batch, int length, int width, int segments, int segLength,
                                             const float* __restrict__ entering, float* __restrict__ h) {
    const int c = blockIdx.x * RGLRU_CHANNELS + threadIdx.x;
    if (c >= width) return;
    const float sp = unaryValue(U_SOFTPLUS, lambda[c]);
    const int jobs = batch * segments;
    for (int job = blockIdx.y * RGLRU_JOBS + threadIdx.y; job < jobs; job += gridDim.y * RGLRU_JOBS) {
        const RgLruJob j = rgLruJob(job, segments, segLength, length, 0);
        const long long row = (long long)j.b * width + c;
        float state = entering != nullptr ? entering[row * segments + job % segments] : (h0 != nullptr ? h0[row] : 0.0f);
        for (int t = j.from; t < j.to; ++t) {
            const long long i = ((long long)j.b * length + t) * width + c;
            state = apply(rgLruStep(x[i], gateXPre[i], gateAPre[i], sp, rgLruReset(resets, j.b, t, length)), state);
            h[i] = state;
        }
    }
}

// The backward: each job walks its segment from the end with carry = the gradient reaching h_t from
// later steps (entering from the carry pass, or 0), dh_t = gradH_t + carry, writes dx, dGateXPre
// and dGateAPre, passes carry = a'_t dh_t on, and at t = 0 writes dh0. d loss / d softplus(lambda)
// is summed per thread, then over the block's jobs in shared memory, then added with one atomic
// per channel and block into dLambda (zeroed by the host), times softplus'(lambda).
extern "C" __global__ void rglru_backward_f32(const float* __restrict__ x, const float* __restrict__ gateXPre,
                                              const float* __restrict__ gateAPre, const float* __restrict__ lambda,
                                              const float* __restrict__ resets, const float* __restrict__ h0,
                                              const float* __restrict__ h, const float* __restrict__ gradH,
                                              int batch, int length, int width, int segments, int segLength,
                                              const float* __restrict__ entering, float* __restrict__ dx,
                                              float* __restrict__ dGateXPre, float* __restrict__ dGateAPre,
                                              float* __restrict__ dLambda, float* __restrict__ dh0) {
    __shared__ float partial[RGLRU_JOBS][RGLRU_CHANNELS];
    const int c = blockIdx.x * RGLRU_CHANNELS + threadIdx.x;
    const float sp = c < width ? unaryValue(U_SOFTPLUS, lambda[c]) : 0.0f;
    float dSoftplus = 0.0f;
    const int jobs = c < width ? batch * segments : 0;  // idle lanes still reach the barrier
    for (int job = blockIdx.y * RGLRU_JOBS + threadIdx.y; job < jobs; job += gridDim.y * RGLRU_JOBS) {
        const RgLruJob j = rgLruJob(job, segments, segLength, length, 1);
        const long long row = (long long)j.b * width + c;
        float carry = entering != nullptr ? entering[row * segments + job % segments] : 0.0f;
        for (int t = j.to - 1; t >= j.from; --t) {
            const long long i = ((long long)j.b * length + t) * width + c;
            const float dh = gradH[i] + carry, xv = x[i], gateX = sigmoidf(gateXPre[i]);
            if (rgLruReset(resets, j.b, t, length)) {  // a' = 0 and multiplier = 1: nothing reaches a
                dx[i] = dh * gateX;
                dGateXPre[i] = dh * xv * gateX * (1.0f - gateX);
                dGateAPre[i] = 0.0f;
                carry = 0.0f;
                continue;
            }
            const float gateA = sigmoidf(gateAPre[i]);
            const float logA = -RGLRU_C * gateA * sp, a = expf(logA), u = -expm1f(2.0f * logA);
            const float multiplier = sqrtf(u);
            const float prev = t > 0 ? h[i - width] : (h0 != nullptr ? h0[row] : 0.0f);
            dx[i] = dh * multiplier * gateX;
            dGateXPre[i] = dh * xv * multiplier * gateX * (1.0f - gateX);
            // log a reaches h through a (da = dh h_prev) and through the multiplier sqrt(1 - exp(2 log a)).
            const float dMultiplier = dh * xv * gateX;
            const float dLogA = dh * prev * a - 2.0f * a * a * dMultiplier / sqrtf(fmaxf(4.0f * u, RGLRU_MIN_FOUR_U));
            dGateAPre[i] = dLogA * (-RGLRU_C * sp) * gateA * (1.0f - gateA);
            dSoftplus += dLogA * (-RGLRU_C * gateA);
            carry = a * dh;
        }
        if (dh0 != nullptr && j.from == 0) dh0[row] = carry;
    }
    partial[threadIdx.y][threadIdx.x] = dSoftplus;
    __syncthreads();
    if (threadIdx.y == 0 && c < width && dLambda != nullptr) {
        float sum = 0.0f;
        for (int y = 0; y < RGLRU_JOBS; ++y) sum += partial[y][threadIdx.x];
        atomicAdd(&dLambda[c], sum * unaryDerivative(U_SOFTPLUS, lambda[c], 0.0f));
    }
}
