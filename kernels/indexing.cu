// Gathers, scatters, embeddings, block copies and axis swaps: one thread per element moved.
// Indices outside their range are skipped (gather/embedding write 0) instead of reading or writing
// out of bounds; the ops layer reports such indices to the user before launching.
#include "common.cuh"

// out[o, j, i] = x[o, index[o, j, i], i] with x (outer, n, inner), index and out (outer, m, inner).
extern "C" __global__ void gather_f32(const float* __restrict__ x, int outer, int n, int inner,
                                      const int* __restrict__ index, int m, float* __restrict__ out) {
    const long long total = (long long)outer * m * inner;
    for (long long idx = firstIndex(); idx < total; idx += gridStride()) {
        const long long o = idx / ((long long)m * inner), i = idx % inner;
        const int k = index[idx];
        out[idx] = (k >= 0 && k < n) ? x[(o * n + k) * inner + i] : 0.0f;
    }
}

// dx[o, index[o, j, i], i] += dOut[o, j, i]; repeated indices add up through atomics.
extern "C" __global__ void scatter_add_f32(const float* __restrict__ dOut, int outer, int n, int inner,
                                           const int* __restrict__ index, int m, float* __restrict__ dx) {
    const long long total = (long long)outer * m * inner;
    for (long long idx = firstIndex(); idx < total; idx += gridStride()) {
        const long long o = idx / ((long long)m * inner), i = idx % inner;
        const int k = index[idx];
        if (k >= 0 && k < n) atomicAdd(&dx[(o * n + k) * inner + i], dOut[idx]);
    }
}

// out[c, d] = weight[indices[c], d].
extern "C" __global__ void embedding_f32(const float* __restrict__ weight, int vocab, const int* __restrict__ indices,
                                         int count, int dim, float* __restrict__ out) {
    const long long total = (long long)count * dim;
    for (long long idx = firstIndex(); idx < total; idx += gridStride()) {
        const int v = indices[idx / dim];
        out[idx] = (v >= 0 && v < vocab) ? weight[(long long)v * dim + idx % dim] : 0.0f;
    }
}

// dWeight[indices[c], d] += dOut[c, d].
extern "C" __global__ void embedding_backward_f32(const float* __restrict__ dOut, const int* __restrict__ indices,
                                                  int count, int dim, int vocab, float* __restrict__ dWeight) {
    const long long total = (long long)count * dim;
    for (long long idx = firstIndex(); idx < total; idx += gridStride()) {
        const int v = indices[idx / dim];
        if (v >= 0 && v < vocab) atomicAdd(&dWeight[(long long)v * dim + idx % dim], dOut[idx]);
    }
}

// dst[o, dstStart + j, i] (+)= src[o, srcStart + j, i] for j < len. Copies move 32-bit words (the
// host doubles `inner` for 8-byte types); accumulation is float32 only.
extern "C" __global__ void copy_block_u32(const unsigned int* __restrict__ src, int srcLen, int srcStart,
                                          unsigned int* __restrict__ dst, int dstLen, int dstStart,
                                          int outer, int len, int inner, int accumulate) {
    const long long total = (long long)outer * len * inner;
    for (long long idx = firstIndex(); idx < total; idx += gridStride()) {
        const long long i = idx % inner, j = (idx / inner) % len, o = idx / ((long long)len * inner);
        const unsigned int v = src[(o * srcLen + srcStart + j) * inner + i];
        unsigned int* d = &dst[(o * dstLen + dstStart + j) * inner + i];
        *d = accumulate ? __float_as_uint(__uint_as_float(*d) + __uint_as_float(v)) : v;
    }
}

// src (p, m, q, n, r) -> dst (p, n, q, m, r), one thread per element of dst; used when r > 1, where
// runs of r contiguous words keep the accesses coalesced.
extern "C" __global__ void transpose_u32(const unsigned int* __restrict__ src, int p, int m, int q, int n, int r,
                                         unsigned int* __restrict__ dst) {
    const long long total = (long long)p * m * q * n * r;
    for (long long idx = firstIndex(); idx < total; idx += gridStride()) {
        long long t = idx;
        const long long e = t % r; t /= r;
        const long long b = t % m; t /= m;   // dst is (p, n, q, m, r): its 4th index runs over m
        const long long c = t % q; t /= q;
        const long long d = t % n; t /= n;
        const long long a = t;
        dst[idx] = src[((((a * m + b) * q + c) * n + d) * r) + e];
    }
}

// r == 1: each (a, c) pair is an m x n matrix transpose, done through a padded shared-memory tile so
// that both the reads and the writes are coalesced. Block (32, 8); grid (n/32, m/32, p*q).
#define TILE 32
#define TILE_ROWS 8
extern "C" __global__ void transpose_tiled_u32(const unsigned int* __restrict__ src, int p, int m, int q, int n,
                                               unsigned int* __restrict__ dst) {
    __shared__ unsigned int tile[TILE][TILE + 1];
    const int col0 = blockIdx.x * TILE, row0 = blockIdx.y * TILE;
    const long long slices = (long long)p * q;
    for (long long s = blockIdx.z; s < slices; s += gridDim.z) {
        const long long a = s / q, c = s % q;
        for (int k = threadIdx.y; k < TILE; k += TILE_ROWS) {
            const int row = row0 + k, col = col0 + threadIdx.x;
            if (row < m && col < n) tile[k][threadIdx.x] = src[((a * m + row) * q + c) * n + col];
        }
        __syncthreads();
        for (int k = threadIdx.y; k < TILE; k += TILE_ROWS) {
            const int col = col0 + k, row = row0 + threadIdx.x;
            if (row < m && col < n) dst[((a * n + col) * q + c) * m + row] = tile[threadIdx.x][k];
        }
        __syncthreads();  // the next slice overwrites the tile
    }
}
