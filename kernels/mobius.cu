// Composed Mobius maps from 0 (Backend.mobiusPrefix; quasi-ELK's filter variances): for every
// sequence (row, channel) of the (rows, T, channels) layout, p_t = (m11 p_{t-1} + m12) / (m21 p_{t-1}
// + m22) with p_{-1} = 0, parallel in time.
//
// A map is its 2x2 matrix [[m11, m12], [m21, m22]] (entries >= 0, m22 > 0); composing maps multiplies
// the matrices, and scaling a matrix leaves its map unchanged, so every product is divided by the sum
// of its entries: the entries stay in [0, 1] however many steps are composed. With nonnegative
// entries nothing cancels, so float keeps every product to a few ulps.
//
// One block per sequence (grid-stride), 32..256 threads, in the structure of blockScanRange in
// scan.cuh: chunks of blockDim.x * MOBIUS_ITEMS steps in order; each thread composes its items,
// warps scan with shuffles (Kogge-Stone), every thread composes the warp totals itself. What crosses
// from chunk to chunk is the value p, not the product: each map contracts the error it carries in,
// so rounding does not pile up over long sequences.
#define MOBIUS_FULL_MASK 0xffffffffu
#define MOBIUS_ITEMS 4
#define MOBIUS_MAX_WARPS 8

struct Mobius {
    float a, b, c, d;
};

__device__ __forceinline__ Mobius mobiusIdentity() { return Mobius{1.0f, 0.0f, 0.0f, 1.0f}; }

// first, then second: the matrix product second * first, divided by the sum of its entries (> 0,
// since d > 0 in both).
__device__ __forceinline__ Mobius compose(Mobius first, Mobius second) {
    const float a = second.a * first.a + second.b * first.c, b = second.a * first.b + second.b * first.d;
    const float c = second.c * first.a + second.d * first.c, d = second.c * first.b + second.d * first.d;
    const float scale = 1.0f / (a + b + c + d);
    return Mobius{a * scale, b * scale, c * scale, d * scale};
}

__device__ __forceinline__ float apply(Mobius f, float p) { return (f.a * p + f.b) / (f.c * p + f.d); }

__device__ __forceinline__ Mobius shuffleUp(Mobius v, int d) {
    return Mobius{__shfl_up_sync(MOBIUS_FULL_MASK, v.a, d), __shfl_up_sync(MOBIUS_FULL_MASK, v.b, d),
                  __shfl_up_sync(MOBIUS_FULL_MASK, v.c, d), __shfl_up_sync(MOBIUS_FULL_MASK, v.d, d)};
}

// Inclusive scan over the 32 lanes: lane i gets lanes 0..i composed.
__device__ __forceinline__ Mobius warpInclusiveScan(Mobius v, int lane) {
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
        const Mobius earlier = shuffleUp(v, d);
        if (lane >= d) v = compose(earlier, v);
    }
    return v;
}

// m11..m22 and p are (rows, length, channels); blockDim.x is a multiple of 32, at most 256.
extern "C" __global__ void mobius_prefix_f32(const float* __restrict__ m11, const float* __restrict__ m12,
                                             const float* __restrict__ m21, const float* __restrict__ m22, int rows,
                                             int length, int channels, float* __restrict__ p) {
    // warp totals alternate between two buffers, so one barrier per chunk suffices; the parity runs
    // on across sequences, which keeps that true from one sequence to the next
    __shared__ Mobius totals[2][MOBIUS_MAX_WARPS];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    const int chunk = blockDim.x * MOBIUS_ITEMS;
    const long long sequences = (long long)rows * channels;
    int parity = 0;
    for (long long sequence = blockIdx.x; sequence < sequences; sequence += gridDim.x) {
        const long long row = sequence / channels;
        const long long base = row * length * channels + sequence % channels;
        float value = 0.0f;  // p_{-1}
        for (int start = 0; start < length; start += chunk, parity ^= 1) {
            const int t0 = start + threadIdx.x * MOBIUS_ITEMS;
            Mobius item[MOBIUS_ITEMS];
            Mobius mine = mobiusIdentity();
#pragma unroll
            for (int k = 0; k < MOBIUS_ITEMS; ++k) {
                const long long at = base + (long long)(t0 + k) * channels;
                item[k] = t0 + k < length ? Mobius{m11[at], m12[at], m21[at], m22[at]} : mobiusIdentity();
                mine = compose(mine, item[k]);
            }
            const Mobius inclusive = warpInclusiveScan(mine, lane);
            if (lane == 31) totals[parity][warp] = inclusive;
            __syncthreads();
            Mobius before = mobiusIdentity(), whole = mobiusIdentity();
            for (int w = 0; w < warps; ++w) {
                if (w == warp) before = whole;
                whole = compose(whole, totals[parity][w]);
            }
            const Mobius earlierLanes = shuffleUp(inclusive, 1);
            float state = apply(before, value);
            if (lane > 0) state = apply(earlierLanes, state);
#pragma unroll
            for (int k = 0; k < MOBIUS_ITEMS; ++k) {
                if (t0 + k < length) {
                    state = apply(item[k], state);
                    p[base + (long long)(t0 + k) * channels] = state;
                }
            }
            value = apply(whole, value);
        }
    }
}
