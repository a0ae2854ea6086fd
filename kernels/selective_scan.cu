// The selective scan (Mamba S6), forward and backward; see Backend#selectiveScan and
// SelectiveScanArgs for the definition and layouts. One block per (batch, channel) row: channels on
// gridDim.x (any dim), batch on gridDim.y (grid-stride beyond 65535). The sequence goes in chunks of
// chunkLength (<= SS_MAX_CHUNK) steps with δ and u staged in shared memory; within a chunk each
// state n is one block-wide (a, b) pair scan (blockScanRange, scan.cuh) entered with the state
// carried from the chunk before. No per-step state leaves the block: the forward writes only the
// state after each chunk (the checkpoints) and the backward recomputes a chunk's states from the
// checkpoint before it.
#include "reduce.cuh"
#include "selective_scan.cuh"

// Forward emit: y_i += x_i C_t (each position always by the same thread, so no races across states).
struct AccumulateY {
    float* y;
    Projection c;
    int t0;
    static constexpr bool active = true;
    __device__ __forceinline__ void operator()(int i, float x) const { y[i] += x * c.at(t0 + i); }
};

// Backward, forward recompute: keeps the chunk's states of state n and accumulates y (for dz).
struct StoreStates {
    float* xs;
    float* y;
    Projection c;
    int t0;
    static constexpr bool active = true;
    __device__ __forceinline__ void operator()(int i, float x) const {
        xs[i] = x;
        y[i] += x * c.at(t0 + i);
    }
};

// Backward, reverse scan: at position i with dx the state's gradient, adds its share of du and dδ
// (over states, in shared memory), of dA, fixed dB and fixed dC (per-thread partials, summed per
// warp into shared per-state totals after the scan), and adds input-dependent dB_t, dC_t into
// global memory atomically (the channels of a group share them).
struct Gradients {
    const float* delta;
    const float* u;
    const float* dy;
    const float* xs;
    float* du;
    float* dDelta;
    float a, a2, enter;
    Projection b, c;
    int t0, len;
    float* dB;
    float* dC;
    float* partA;
    float* partB;
    float* partC;
    static constexpr bool active = true;
    __device__ __forceinline__ void operator()(int s, float dx) const {
        const int i = len - 1 - s, t = t0 + i;
        const float d = delta[i], bv = b.at(t);
        const float decayed = exp2f(d * a2) * (i > 0 ? xs[i - 1] : enter);  // exp(δA) x_{t-1}
        du[i] += dx * bv * d;
        dDelta[i] += dx * (bv * u[i] + a * decayed);
        *partA += dx * d * decayed;
        const float dBt = dx * d * u[i], dCt = dy[i] * xs[i];
        if (b.stride != 0) atomicAdd(dB + b.index(t), dBt);
        else *partB += dBt;
        if (c.stride != 0) atomicAdd(dC + c.index(t), dCt);
        else *partC += dCt;
    }
};

// Adds v summed over the warp into a shared total: per-state sums without a block barrier.
__device__ __forceinline__ void warpAddShared(float v, float* total) {
    v = warpReduce(v, SumOp());
    if ((threadIdx.x & 31) == 0) atomicAdd(total, v);
}

// δ of a step from the raw input: + bias, then softplus if asked.
__device__ __forceinline__ float rawDelta(const float* delta, const float* deltaBias, long long at, int channel) {
    return delta[at] + (deltaBias != nullptr ? deltaBias[channel] : 0.0f);
}

// groupsB/groupsC: 0 for fixed B/C. checkpoints (batch, dim, chunks, N) and lastState may be null.
extern "C" __global__ void selective_scan_fwd_f32(
    const float* __restrict__ u, const float* __restrict__ delta, const float* __restrict__ A,
    const float* __restrict__ B, const float* __restrict__ C, const float* __restrict__ D, const float* __restrict__ z,
    const float* __restrict__ deltaBias, const float* __restrict__ h0, int batch, int dim, int length, int n,
    int groupsB, int groupsC, int softplus, int chunkLength, int chunks, float* __restrict__ out,
    float* __restrict__ checkpoints, float* __restrict__ lastState) {
    __shared__ float deltaS[SS_MAX_CHUNK];
    __shared__ float uS[SS_MAX_CHUNK];
    __shared__ float yS[SS_MAX_CHUNK];
    __shared__ float carry[SS_MAX_STATE];
    const int channel = blockIdx.x;
    const float dSkip = D != nullptr ? D[channel] : 0.0f;
    for (int b = blockIdx.y; b < batch; b += gridDim.y) {
        const long long row = (long long)b * dim + channel, rowBase = row * length;
        __syncthreads();  // the previous row is done with carry
        for (int s = threadIdx.x; s < n; s += blockDim.x) carry[s] = h0 != nullptr ? h0[row * n + s] : 0.0f;
        for (int k = 0; k < chunks; ++k) {
            const int t0 = k * chunkLength, len = min(chunkLength, length - t0);
            __syncthreads();  // the previous chunk's output loop is done with the shared arrays
            for (int i = threadIdx.x; i < len; i += blockDim.x) {
                const float r = rawDelta(delta, deltaBias, rowBase + t0 + i, channel);
                deltaS[i] = softplus ? softplusf(r) : r;
                uS[i] = u[rowBase + t0 + i];
                yS[i] = 0.0f;
            }
            __syncthreads();
            for (int s = 0; s < n; ++s) {
                const float a2 = A[(long long)channel * n + s] * SS_LOG2E;
                const Projection bp = projection(B, groupsB, b, channel, dim, n, length, s);
                const Projection cp = projection(C, groupsC, b, channel, dim, n, length, s);
                const float entering = carry[s];
                const Affine chunk = blockScanRange(ForwardSteps{deltaS, uS, a2, bp, t0}, 0, len, entering,
                                                    AccumulateY{yS, cp, t0});
                const float h = apply(chunk, entering);
                if (threadIdx.x == 0) {  // every thread holds h; the scan's barriers ordered all reads of carry[s]
                    carry[s] = h;
                    if (checkpoints != nullptr) checkpoints[(row * chunks + k) * n + s] = h;
                }
            }
            __syncthreads();  // the last state's emits (after the scan's last barrier) are done
            for (int i = threadIdx.x; i < len; i += blockDim.x) {
                const float y = yS[i] + dSkip * uS[i];
                out[rowBase + t0 + i] = z != nullptr ? y * siluf(z[rowBase + t0 + i]) : y;
            }
        }
        if (lastState != nullptr)
            for (int s = threadIdx.x; s < n; s += blockDim.x) lastState[row * n + s] = carry[s];
    }
}

// The chunks in reverse; per chunk and state: recompute the states from the checkpoint before the
// chunk (or h0), then the reverse scan entered with the carry exp(δA) dx from the chunk after (dLast,
// or 0, at the end). dA, fixed dB/dC, dD and dDeltaBias must be zero on entry (the host clears
// them; blocks add into them atomically), and so must input-dependent dB and dC.
extern "C" __global__ void selective_scan_bwd_f32(
    const float* __restrict__ u, const float* __restrict__ delta, const float* __restrict__ A,
    const float* __restrict__ B, const float* __restrict__ C, const float* __restrict__ D, const float* __restrict__ z,
    const float* __restrict__ deltaBias, const float* __restrict__ h0, int batch, int dim, int length, int n,
    int groupsB, int groupsC, int softplus, int chunkLength, int chunks, const float* __restrict__ checkpoints,
    const float* __restrict__ dOut, const float* __restrict__ dLast, float* __restrict__ du, float* __restrict__ dDelta,
    float* __restrict__ dA, float* __restrict__ dB, float* __restrict__ dC, float* __restrict__ dD,
    float* __restrict__ dz, float* __restrict__ dDeltaBias, float* __restrict__ dh0) {
    __shared__ float deltaS[SS_MAX_CHUNK];
    __shared__ float uS[SS_MAX_CHUNK];
    __shared__ float dyS[SS_MAX_CHUNK];
    __shared__ float xS[SS_MAX_CHUNK];
    __shared__ float yS[SS_MAX_CHUNK];
    __shared__ float duS[SS_MAX_CHUNK];
    __shared__ float ddS[SS_MAX_CHUNK];
    __shared__ float carry[SS_MAX_STATE];
    __shared__ float sumA[SS_MAX_STATE];
    __shared__ float sumB[SS_MAX_STATE];
    __shared__ float sumC[SS_MAX_STATE];
    __shared__ float scratch[32];
    const int channel = blockIdx.x;
    const float dSkip = D != nullptr ? D[channel] : 0.0f;
    for (int b = blockIdx.y; b < batch; b += gridDim.y) {
        const long long row = (long long)b * dim + channel, rowBase = row * length;
        __syncthreads();  // the previous row is done with the per-state arrays
        for (int s = threadIdx.x; s < n; s += blockDim.x) {
            carry[s] = dLast != nullptr ? dLast[row * n + s] : 0.0f;
            sumA[s] = sumB[s] = sumC[s] = 0.0f;
        }
        float partD = 0.0f, partBias = 0.0f;
        for (int k = chunks - 1; k >= 0; --k) {
            const int t0 = k * chunkLength, len = min(chunkLength, length - t0);
            __syncthreads();  // the previous chunk's gradient loop is done with the shared arrays
            for (int i = threadIdx.x; i < len; i += blockDim.x) {
                const long long at = rowBase + t0 + i;
                const float r = rawDelta(delta, deltaBias, at, channel);
                deltaS[i] = softplus ? softplusf(r) : r;
                uS[i] = u[at];
                dyS[i] = z != nullptr ? dOut[at] * siluf(z[at]) : dOut[at];
                yS[i] = duS[i] = ddS[i] = 0.0f;
            }
            __syncthreads();
            for (int s = 0; s < n; ++s) {
                const float a = A[(long long)channel * n + s], a2 = a * SS_LOG2E;
                const Projection bp = projection(B, groupsB, b, channel, dim, n, length, s);
                const Projection cp = projection(C, groupsC, b, channel, dim, n, length, s);
                const float enter = k > 0 ? checkpoints[(row * chunks + k - 1) * n + s]
                                          : (h0 != nullptr ? h0[row * n + s] : 0.0f);
                blockScanRange(ForwardSteps{deltaS, uS, a2, bp, t0}, 0, len, enter, StoreStates{xS, yS, cp, t0});
                const float g = carry[s];
                float partA = 0.0f, partB = 0.0f, partC = 0.0f;
                const Gradients emit{deltaS, uS, dyS, xS, duS, ddS, a, a2, enter, bp, cp, t0, len, dB, dC,
                                     &partA, &partB, &partC};
                const Affine chunk = blockScanRange(ReverseSteps{deltaS, dyS, a2, cp, t0, len}, 0, len, g, emit);
                // Every thread read carry[s] before the scan's barriers, which thread 0 has passed.
                if (threadIdx.x == 0) carry[s] = exp2f(deltaS[0] * a2) * apply(chunk, g);  // exp(δ_t0 A) dx_t0
                warpAddShared(partA, &sumA[s]);
                if (groupsB == 0) warpAddShared(partB, &sumB[s]);
                if (groupsC == 0) warpAddShared(partC, &sumC[s]);
            }
            __syncthreads();  // the reverse scans' last emits and the shared sums are done
            for (int i = threadIdx.x; i < len; i += blockDim.x) {
                const long long at = rowBase + t0 + i;
                const float r = rawDelta(delta, deltaBias, at, channel);
                const float dd = softplus && r <= SS_SOFTPLUS_THRESHOLD ? ddS[i] * sigmoidf(r) : ddS[i];
                du[at] = duS[i] + dSkip * dyS[i];
                dDelta[at] = dd;
                if (dz != nullptr) dz[at] = dOut[at] * (yS[i] + dSkip * uS[i]) * siluGradf(z[at]);
                partD += dyS[i] * uS[i];
                partBias += dd;
            }
        }
        __syncthreads();  // the last updates of the per-state arrays
        for (int s = threadIdx.x; s < n; s += blockDim.x) {
            atomicAdd(dA + (long long)channel * n + s, sumA[s]);
            if (groupsB == 0) atomicAdd(dB + (long long)channel * n + s, sumB[s]);
            if (groupsC == 0) atomicAdd(dC + (long long)channel * n + s, sumC[s]);
            if (dh0 != nullptr) dh0[row * n + s] = carry[s];
        }
        const float totalD = blockSum(partD, scratch);
        const float totalBias = blockSum(partBias, scratch);
        if (threadIdx.x == 0) {
            if (dD != nullptr) atomicAdd(dD + channel, totalD);
            if (dDeltaBias != nullptr) atomicAdd(dDeltaBias + channel, totalBias);
        }
    }
}
