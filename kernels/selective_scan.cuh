// The pieces of the selective scan (Mamba S6) kernels in selective_scan.cu: where a row finds B and
// C, and the two recurrences of one chunk and one state as step sequences for blockScanRange
// (scan.cuh). A chunk's δ, u and (backward) gated output gradient sit in shared memory, indexed by
// the step's position i in the chunk; time t = t0 + i.
#pragma once
#include "scan.cuh"

#define SS_MAX_CHUNK 1024  // longest chunk between saved states (shared arrays of this length)
#define SS_MAX_STATE 256   // largest state size N (per-state carries in shared memory)
#define SS_LOG2E 1.4426950408889634f
#define SS_SOFTPLUS_THRESHOLD 20.0f

// B or C of one (batch, channel) row and one state n: fixed (dim, N) is one value for every step
// (stride 0); input-dependent (batch, groups, N, L) is a time row of the channel's group.
struct Projection {
    const float* p;
    long long base;
    int stride;
    __device__ __forceinline__ float at(int t) const { return p[base + (long long)t * stride]; }
    __device__ __forceinline__ long long index(int t) const { return base + (long long)t * stride; }
};

// groups == 0: fixed.
__device__ __forceinline__ Projection projection(const float* p, int groups, int b, int channel, int dim, int n,
                                                 int length, int state) {
    if (groups == 0) return Projection{p, (long long)channel * n + state, 0};
    const long long group = (long long)b * groups + channel / (dim / groups);
    return Projection{p, (group * n + state) * length, 1};
}

__device__ __forceinline__ float softplusf(float x) { return x > SS_SOFTPLUS_THRESHOLD ? x : log1pf(expf(x)); }

__device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

__device__ __forceinline__ float siluf(float x) { return x * sigmoidf(x); }

__device__ __forceinline__ float siluGradf(float x) {
    const float s = sigmoidf(x);
    return s * (1.0f + x * (1.0f - s));
}

// The forward recurrence of state n over a chunk: x_i = exp(δ_i A) x_{i-1} + δ_i B_t u_i, with
// exp(δ A) = exp2(δ · A log2 e) (a2 is A pre-scaled).
struct ForwardSteps {
    const float* delta;
    const float* u;
    float a2;
    Projection b;
    int t0;
    __device__ __forceinline__ Affine step(int i) const {
        const float d = delta[i];
        return Affine{exp2f(d * a2), d * b.at(t0 + i) * u[i]};
    }
};

// The reverse recurrence of state n over a chunk, in scan order s (position i = len - 1 - s):
// dx_i = dy_i C_t + exp(δ_{i+1} A) dx_{i+1}. Step 0 has coefficient 1: the carry entering it is
// already exp(δ A) dx of the chunk after's first step.
struct ReverseSteps {
    const float* delta;
    const float* dy;
    float a2;
    Projection c;
    int t0, len;
    __device__ __forceinline__ Affine step(int s) const {
        const int i = len - 1 - s;
        return Affine{s == 0 ? 1.0f : exp2f(delta[i + 1] * a2), dy[i] * c.at(t0 + i)};
    }
};
