// Causal depthwise conv1d (mamba's causal_conv1d, recurrentgemma's Conv1D), forward and backward,
// in either layout: see Backend#causalConv1d for the contract. One kernel per direction serves both
// layouts: blocks work on tiles of 32 channels x 32 time steps staged in shared memory, and only the
// global <-> shared copies depend on the layout. A copy walks the tile in memory order (consecutive
// threads take consecutive channels channels-last, consecutive time steps channels-first), so every
// global access is coalesced either way, while the arithmetic reads the tile the same way for both.
// Tile rows are padded to an odd length so that walking a column hits distinct banks.
#include "ops.cuh"

#define CONV_TILE 32                             // channels and time steps of a tile
#define CONV_ROWS 8                              // blockDim.y; blockDim.x = CONV_TILE
#define CONV_MAX_WIDTH 4
#define CONV_HALO (CONV_MAX_WIDTH - 1)           // steps before (and, for the backward, after) a tile
#define CONV_SPAN (CONV_TILE + 2 * CONV_HALO)
#define CONV_STRIDE (CONV_SPAN + 1)

struct ConvLayout {
    int batch, channels, length, width, channelsLast;

    __device__ __forceinline__ long long x(int b, int c, int t) const {
        return channelsLast ? ((long long)b * length + t) * channels + c : ((long long)b * channels + c) * length + t;
    }

    __device__ __forceinline__ long long weight(int c, int k) const {
        return channelsLast ? (long long)k * channels + c : (long long)c * width + k;
    }

    // Element i (oldest first) of the width - 1 carried inputs.
    __device__ __forceinline__ long long state(int b, int c, int i) const {
        const int n = width - 1;
        return channelsLast ? ((long long)b * n + i) * channels + c : ((long long)b * channels + c) * n + i;
    }
};

// tile[ci][s] = the input of channel c0 + ci at time first + s, for s < slots: x inside the sequence,
// the carried state before it (zeros without one), zeros past the end or beyond the last channel.
__device__ void loadTile(const float* __restrict__ src, const float* __restrict__ state, const ConvLayout& L, int b,
                         int c0, int first, int slots, float (*tile)[CONV_STRIDE]) {
    const int tid = threadIdx.y * CONV_TILE + threadIdx.x;
    for (int p = tid; p < CONV_TILE * slots; p += CONV_TILE * CONV_ROWS) {
        const int ci = L.channelsLast ? p % CONV_TILE : p / slots;
        const int s = L.channelsLast ? p / CONV_TILE : p % slots;
        const int c = c0 + ci, t = first + s, i = L.width - 1 + t;
        float v = 0.0f;
        if (c < L.channels) {
            if (t >= 0 && t < L.length) v = src[L.x(b, c, t)];
            else if (t < 0 && state != nullptr && i >= 0) v = state[L.state(b, c, i)];
        }
        tile[ci][s] = v;
    }
}

// dst at times t0 + s (s < CONV_TILE, inside the sequence and the channels) = tile[ci][s].
__device__ void storeTile(const float (*tile)[CONV_TILE + 1], float* __restrict__ dst, const ConvLayout& L, int b, int c0,
                          int t0) {
    const int tid = threadIdx.y * CONV_TILE + threadIdx.x;
    for (int p = tid; p < CONV_TILE * CONV_TILE; p += CONV_TILE * CONV_ROWS) {
        const int ci = L.channelsLast ? p % CONV_TILE : p / CONV_TILE;
        const int s = L.channelsLast ? p / CONV_TILE : p % CONV_TILE;
        const int c = c0 + ci, t = t0 + s;
        if (c < L.channels && t < L.length) dst[L.x(b, c, t)] = tile[ci][s];
    }
}

// This thread's channel's taps, zero beyond the kernel width or the last channel.
__device__ __forceinline__ void loadTaps(const float* __restrict__ weight, const ConvLayout& L, int c,
                                         float (&w)[CONV_MAX_WIDTH]) {
#pragma unroll
    for (int k = 0; k < CONV_MAX_WIDTH; ++k) w[k] = c < L.channels && k < L.width ? weight[L.weight(c, k)] : 0.0f;
}

// The pre-activation at tile time s, from a tile whose slot 0 is CONV_HALO steps before time 0:
// bias + sum_k w_k xx(s - (width - 1) + k).
__device__ __forceinline__ float preActivation(const float* row, int s, const float (&w)[CONV_MAX_WIDTH], float bias,
                                               int width) {
    float z = bias;
#pragma unroll
    for (int k = 0; k < CONV_MAX_WIDTH; ++k)
        if (k < width) z += w[k] * row[s + CONV_HALO - (width - 1) + k];
    return z;
}

// out = act(pre-activation); grid (channel tiles, batch x time tiles, grid-stride in y).
extern "C" __global__ void conv1d_forward_f32(const float* __restrict__ x, const float* __restrict__ weight,
                                              const float* __restrict__ bias, const float* __restrict__ state,
                                              int batch, int channels, int length, int width, int channelsLast,
                                              int silu, float* __restrict__ out) {
    __shared__ float sx[CONV_TILE][CONV_STRIDE];
    __shared__ float so[CONV_TILE][CONV_TILE + 1];
    const ConvLayout L{batch, channels, length, width, channelsLast};
    const int c0 = blockIdx.x * CONV_TILE, c = c0 + threadIdx.x;
    float w[CONV_MAX_WIDTH];
    loadTaps(weight, L, c, w);
    const float b0 = bias != nullptr && c < channels ? bias[c] : 0.0f;
    const int timeTiles = (length + CONV_TILE - 1) / CONV_TILE;
    for (int bt = blockIdx.y; bt < batch * timeTiles; bt += gridDim.y) {
        const int b = bt / timeTiles, t0 = (bt % timeTiles) * CONV_TILE;
        loadTile(x, state, L, b, c0, t0 - CONV_HALO, CONV_TILE + CONV_HALO, sx);
        __syncthreads();
        for (int s = threadIdx.y; s < CONV_TILE; s += CONV_ROWS) {
            const float z = preActivation(sx[threadIdx.x], s, w, b0, width);
            so[threadIdx.x][s] = silu ? unaryValue(U_SILU, z) : z;
        }
        __syncthreads();
        storeTile(so, out, L, b, c0, t0);  // the next tile's first barrier orders these reads before so is rewritten
    }
}

// Gradients. Per tile: x over [t0 - HALO, t0 + TILE + HALO) and gradOut over [t0, t0 + TILE + HALO)
// (the outputs that read the tile's inputs); dPre = gradOut * act'(pre) in place; dx_s = sum_k w_k
// dPre_{s + width - 1 - k}; the tile at t0 = 0 also gives dState (the inputs at negative times).
// dWeight and dBias are summed per thread over its tiles, then over the block in shared memory,
// then added with one atomic per element and block (the host zeroes them first).
extern "C" __global__ void conv1d_backward_f32(const float* __restrict__ x, const float* __restrict__ weight,
                                               const float* __restrict__ bias, const float* __restrict__ state,
                                               const float* __restrict__ gradOut, int batch, int channels, int length,
                                               int width, int channelsLast, int silu, float* __restrict__ dx,
                                               float* __restrict__ dWeight, float* __restrict__ dBias,
                                               float* __restrict__ dState) {
    __shared__ float sx[CONV_TILE][CONV_STRIDE];
    __shared__ float sd[CONV_TILE][CONV_STRIDE];
    __shared__ float so[CONV_TILE][CONV_TILE + 1];
    __shared__ float partial[CONV_ROWS][CONV_MAX_WIDTH + 1][CONV_TILE];
    const ConvLayout L{batch, channels, length, width, channelsLast};
    const int c0 = blockIdx.x * CONV_TILE, c = c0 + threadIdx.x;
    float w[CONV_MAX_WIDTH], dw[CONV_MAX_WIDTH] = {0.0f, 0.0f, 0.0f, 0.0f}, db = 0.0f;
    loadTaps(weight, L, c, w);
    const float b0 = bias != nullptr && c < channels ? bias[c] : 0.0f;
    const int timeTiles = (length + CONV_TILE - 1) / CONV_TILE;
    for (int bt = blockIdx.y; bt < batch * timeTiles; bt += gridDim.y) {
        const int b = bt / timeTiles, t0 = (bt % timeTiles) * CONV_TILE;
        loadTile(x, state, L, b, c0, t0 - CONV_HALO, CONV_SPAN, sx);
        loadTile(gradOut, nullptr, L, b, c0, t0, CONV_TILE + CONV_HALO, sd);  // zeros before 0 and past the end
        __syncthreads();
        if (silu)
            for (int s = threadIdx.y; s < CONV_TILE + CONV_HALO; s += CONV_ROWS)
                sd[threadIdx.x][s] *= unaryDerivative(U_SILU, preActivation(sx[threadIdx.x], s, w, b0, width), 0.0f);
        __syncthreads();
        const float* d = sd[threadIdx.x];
        for (int s = threadIdx.y; s < CONV_TILE; s += CONV_ROWS) {
            float g = 0.0f;
#pragma unroll
            for (int k = 0; k < CONV_MAX_WIDTH; ++k)
                if (k < width) g += w[k] * d[s + width - 1 - k];
            so[threadIdx.x][s] = g;
            if (t0 + s < length) {
                db += d[s];
#pragma unroll
                for (int k = 0; k < CONV_MAX_WIDTH; ++k)
                    if (k < width) dw[k] += d[s] * sx[threadIdx.x][s + CONV_HALO - (width - 1) + k];
            }
        }
        if (t0 == 0 && dState != nullptr && threadIdx.y == 0 && c < channels)
            for (int i = 0; i < width - 1; ++i) {  // input at time i - (width - 1), read by outputs 0 … i
                float g = 0.0f;
                for (int k = 0; k <= i; ++k) g += w[k] * d[i - k];
                dState[L.state(b, c, i)] = g;
            }
        __syncthreads();
        storeTile(so, dx, L, b, c0, t0);  // the next tile writes so only after two more barriers
    }
#pragma unroll
    for (int k = 0; k < CONV_MAX_WIDTH; ++k) partial[threadIdx.y][k][threadIdx.x] = dw[k];
    partial[threadIdx.y][CONV_MAX_WIDTH][threadIdx.x] = db;
    __syncthreads();
    if (threadIdx.y == 0 && c < channels) {
        for (int k = 0; k <= CONV_MAX_WIDTH; ++k) {
            if (k < CONV_MAX_WIDTH && k >= width) continue;
            float sum = 0.0f;
            for (int y = 0; y < CONV_ROWS; ++y) sum += partial[y][k][threadIdx.x];
            if (k < CONV_MAX_WIDTH) atomicAdd(&dWeight[L.weight(c, k)], sum);
            else if (dBias != nullptr) atomicAdd(&dBias[c], sum);
        }
    }
}
