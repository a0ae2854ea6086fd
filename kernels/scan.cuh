// Block-wide scans of diagonal linear recurrences h = c * h + x, shared by the forward and the
// gradient kernels of scan.cu. Blocks have 32..256 threads (a multiple of 32); each thread holds
// SCAN_ITEMS consecutive steps in registers, so a block consumes a chunk of blockDim.x * SCAN_ITEMS
// steps at a time and carries the state from chunk to chunk in registers.
#pragma once

#define SCAN_FULL_MASK 0xffffffffu
#define SCAN_ITEMS 4
#define SCAN_MAX_WARPS 8

// The affine map h -> c * h + x: one step, or the composition of a run of steps.
struct Affine {
    float c, x;
};

__device__ __forceinline__ Affine affineIdentity() { return Affine{1.0f, 0.0f}; }

// first, then second: (c1, x1) then (c2, x2) = (c2 c1, c2 x1 + x2).
__device__ __forceinline__ Affine compose(Affine first, Affine second) {
    return Affine{second.c * first.c, second.c * first.x + second.x};
}

__device__ __forceinline__ float apply(Affine f, float h) { return f.c * h + f.x; }

// Inclusive scan over the 32 lanes (Kogge-Stone with shuffles): lane i gets lanes 0..i composed.
__device__ __forceinline__ Affine warpInclusiveScan(Affine v, int lane) {
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
        const float c = __shfl_up_sync(SCAN_FULL_MASK, v.c, d);
        const float x = __shfl_up_sync(SCAN_FULL_MASK, v.x, d);
        if (lane >= d) v = compose(Affine{c, x}, v);
    }
    return v;
}

// The steps of one row of the time-last layout (row base + time), numbered s in scan order: step s
// is at time first + dir * s. Its coefficient is a' (a, or 0 where resets is nonzero) at its own
// time; when lagged (the gradient, which runs the other way) at the time of step s - 1, and 0 for
// step 0. x is b in the forward and the upstream gradient in the backward.
struct DiagonalSteps {
    const float* a;
    const float* resets;
    const float* x;
    long long base;
    int length, first, dir, lagged;

    __device__ __forceinline__ int time(int s) const { return first + dir * s; }

    __device__ __forceinline__ bool isReset(int t) const { return resets != nullptr && resets[base + t] != 0.0f; }

    __device__ __forceinline__ float effectiveA(int t) const { return isReset(t) ? 0.0f : a[base + t]; }

    __device__ __forceinline__ Affine step(int s) const {
        const float c = !lagged ? effectiveA(time(s)) : (s == 0 ? 0.0f : effectiveA(time(s - 1)));
        return Affine{c, x[base + time(s)]};
    }
};

__device__ __forceinline__ DiagonalSteps diagonalSteps(const float* a, const float* resets, const float* x, long long row,
                                                       int length, int reverse, int lagged) {
    return DiagonalSteps{a, resets, x, row * length, length, reverse ? length - 1 : 0, reverse ? -1 : 1, lagged};
}

// Emits nothing: for the reduce pass, which only needs the aggregate.
struct NoEmit {
    static constexpr bool active = false;
    __device__ __forceinline__ void operator()(int, float) const {}
};

// Scans steps [from, to) of one row with the whole block, entering with state h (the same in every
// thread), and calls emit(s, h_s) for every step (each step by one thread, the same thread for the
// same s on every call with the same range). Steps is any type whose step(s) gives step s as an
// Affine (DiagonalSteps here; the selective scan has its own). Returns the aggregate of
// the range, identical in every thread. Chunks go in order; within a chunk each thread composes its
// items, warps scan with shuffles, and every thread composes the warp totals itself (at most 8), so
// the chunk's carry never goes through shared memory. Warp totals alternate between two buffers,
// so one barrier per chunk suffices.
template <class Steps, class Emit>
__device__ Affine blockScanRange(const Steps& in, int from, int to, float h, const Emit& emit) {
    __shared__ float totalC[2][SCAN_MAX_WARPS];
    __shared__ float totalX[2][SCAN_MAX_WARPS];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    const int chunk = blockDim.x * SCAN_ITEMS;
    Affine range = affineIdentity();
    __syncthreads();  // a previous call's last chunk may still be reading the buffers
    int parity = 0;
    for (int start = from; start < to; start += chunk, parity ^= 1) {
        const int s0 = start + threadIdx.x * SCAN_ITEMS;
        Affine item[SCAN_ITEMS];
        Affine mine = affineIdentity();
#pragma unroll
        for (int k = 0; k < SCAN_ITEMS; ++k) {
            item[k] = s0 + k < to ? in.step(s0 + k) : affineIdentity();
            mine = compose(mine, item[k]);
        }
        const Affine inclusive = warpInclusiveScan(mine, lane);
        if (lane == 31) {
            totalC[parity][warp] = inclusive.c;
            totalX[parity][warp] = inclusive.x;
        }
        __syncthreads();
        Affine before = affineIdentity(), whole = affineIdentity();
        for (int w = 0; w < warps; ++w) {
            if (w == warp) before = whole;
            whole = compose(whole, Affine{totalC[parity][w], totalX[parity][w]});
        }
        if (Emit::active) {
            const float ec = __shfl_up_sync(SCAN_FULL_MASK, inclusive.c, 1);
            const float ex = __shfl_up_sync(SCAN_FULL_MASK, inclusive.x, 1);
            float state = apply(before, h);
            if (lane > 0) state = apply(Affine{ec, ex}, state);
#pragma unroll
            for (int k = 0; k < SCAN_ITEMS; ++k) {
                if (s0 + k < to) {
                    state = apply(item[k], state);
                    emit(s0 + k, state);
                }
            }
        }
        h = apply(whole, h);
        range = compose(range, whole);
    }
    return range;
}
