// Griffin's local attention: causal sliding-window multi-query attention (see
// Backend#localAttention). q and out (batch, T, heads, D), k and v (batch, T, D), lse (batch,
// heads, T). Query t sees keys [t - window + 1, t]. Flash-attention style: nothing T x T exists.
//
// Forward and the dq pass: one block per (query tile of LA_ROWS rows, head, batch element), a
// thread per query row holding its q, dOut and accumulator in registers/local memory; the keys and
// values the tile's window covers stream through shared memory LA_TILE rows at a time, with an
// online softmax (running max and sum) in the forward. The backward recomputes every probability
// from the saved logsumexp. dk/dv come from a second pass over key tiles (a thread per key row,
// queries of every head streamed through shared memory) so that no two threads write one element
// and no atomics are needed.
#include "ops.cuh"

#define LA_ROWS 64        // query (or key) rows per block = threads per block
#define LA_TILE 16        // rows staged in shared memory per step: 2 x 16 x 256 x 4 B = 32 KiB
#define LA_MAX_DIM 256    // head_dim limit: the per-thread rows and the shared tiles are sized by it

// Stages rows [r0, r0 + LA_TILE) of a (rows, D) matrix with the given row stride, zeros past lastRow.
__device__ __forceinline__ void stageRows(float (*dst)[LA_MAX_DIM], const float* __restrict__ src, long rowStride,
                                          int r0, int lastRow, int dim) {
    for (int e = threadIdx.x; e < LA_TILE * dim; e += blockDim.x) {
        const int r = e / dim, d = e - r * dim;
        dst[r][d] = r0 + r <= lastRow ? src[(long) (r0 + r) * rowStride + d] : 0.0f;
    }
}

__device__ __forceinline__ float dotRow(const float* a, const float* b, int dim) {
    float s = 0.0f;
    for (int d = 0; d < dim; d++) s += a[d] * b[d];
    return s;
}

extern "C" __global__ void __launch_bounds__(LA_ROWS) local_attention_forward_f32(
        const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v, int batch, int length,
        int heads, int dim, int window, float scale, float* __restrict__ out, float* __restrict__ lse) {
    __shared__ float ks[LA_TILE][LA_MAX_DIM];
    __shared__ float vs[LA_TILE][LA_MAX_DIM];
    const int b = blockIdx.z, h = blockIdx.y, t0 = blockIdx.x * LA_ROWS, t = t0 + threadIdx.x;
    const bool live = t < length;
    const long qRow = ((long) (b * length + t) * heads + h) * dim;
    float qr[LA_MAX_DIM], acc[LA_MAX_DIM];
    for (int d = 0; d < dim; d++) {
        qr[d] = live ? q[qRow + d] * scale : 0.0f;
        acc[d] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f;
    const int lastRow = min(length, t0 + LA_ROWS) - 1;
    const float* kb = k + (long) b * length * dim;
    const float* vb = v + (long) b * length * dim;
    for (int j0 = max(0, t0 - window + 1); j0 <= lastRow; j0 += LA_TILE) {   // bounds are the block's: every thread syncs
        __syncthreads();
        stageRows(ks, kb, dim, j0, lastRow, dim);
        stageRows(vs, vb, dim, j0, lastRow, dim);
        __syncthreads();
        if (!live) continue;
        for (int r = 0; r < LA_TILE; r++) {
            const int j = j0 + r;
            if (j > t || j < t - window + 1) continue;
            const float s = dotRow(qr, ks[r], dim);
            if (s > m) {   // rescale what was summed under the old maximum
                const float c = expf(m - s);
                l *= c;
                for (int d = 0; d < dim; d++) acc[d] *= c;
                m = s;
            }
            const float p = expf(s - m);
            l += p;
            for (int d = 0; d < dim; d++) acc[d] += p * vs[r][d];
        }
    }
    if (!live) return;
    for (int d = 0; d < dim; d++) out[qRow + d] = acc[d] / l;
    lse[(long) (b * heads + h) * length + t] = m + logf(l);
}

// dq and delta = dOut . out per query row.
extern "C" __global__ void __launch_bounds__(LA_ROWS) local_attention_backward_dq_f32(
        const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v, const float* __restrict__ out,
        const float* __restrict__ lse, const float* __restrict__ dOut, int batch, int length, int heads, int dim, int window,
        float scale, float* __restrict__ dq, float* __restrict__ delta) {
    __shared__ float ks[LA_TILE][LA_MAX_DIM];
    __shared__ float vs[LA_TILE][LA_MAX_DIM];
    const int b = blockIdx.z, h = blockIdx.y, t0 = blockIdx.x * LA_ROWS, t = t0 + threadIdx.x;
    const bool live = t < length;
    const long qRow = ((long) (b * length + t) * heads + h) * dim;
    const long row = (long) (b * heads + h) * length + t;
    float qr[LA_MAX_DIM], gr[LA_MAX_DIM], acc[LA_MAX_DIM];
    float dt = 0.0f;
    for (int d = 0; d < dim; d++) {
        qr[d] = live ? q[qRow + d] * scale : 0.0f;
        gr[d] = live ? dOut[qRow + d] : 0.0f;
        acc[d] = 0.0f;
        if (live) dt += gr[d] * out[qRow + d];
    }
    const float lseT = live ? lse[row] : 0.0f;
    const int lastRow = min(length, t0 + LA_ROWS) - 1;
    const float* kb = k + (long) b * length * dim;
    const float* vb = v + (long) b * length * dim;
    for (int j0 = max(0, t0 - window + 1); j0 <= lastRow; j0 += LA_TILE) {
        __syncthreads();
        stageRows(ks, kb, dim, j0, lastRow, dim);
        stageRows(vs, vb, dim, j0, lastRow, dim);
        __syncthreads();
        if (!live) continue;
        for (int r = 0; r < LA_TILE; r++) {
            const int j = j0 + r;
            if (j > t || j < t - window + 1) continue;
            const float p = expf(dotRow(qr, ks[r], dim) - lseT);
            const float ds = p * (dotRow(gr, vs[r], dim) - dt);
            for (int d = 0; d < dim; d++) acc[d] += ds * ks[r][d];
        }
    }
    if (!live) return;
    for (int d = 0; d < dim; d++) dq[qRow + d] = acc[d] * scale;
    delta[row] = dt;
}

// dk and dv per key row: the queries of every head that see the key, LA_TILE rows at a time.
extern "C" __global__ void __launch_bounds__(LA_ROWS) local_attention_backward_dkdv_f32(
        const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v, const float* __restrict__ lse,
        const float* __restrict__ delta, const float* __restrict__ dOut, int batch, int length, int heads, int dim,
        int window, float scale, float* __restrict__ dk, float* __restrict__ dv) {
    __shared__ float qs[LA_TILE][LA_MAX_DIM];
    __shared__ float gs[LA_TILE][LA_MAX_DIM];
    __shared__ float ls[LA_TILE], dts[LA_TILE];
    const int b = blockIdx.y, j0 = blockIdx.x * LA_ROWS, j = j0 + threadIdx.x;
    const bool live = j < length;
    const long kRow = (long) (b * length + j) * dim;
    float kr[LA_MAX_DIM], vr[LA_MAX_DIM], ak[LA_MAX_DIM], av[LA_MAX_DIM];
    for (int d = 0; d < dim; d++) {
        kr[d] = live ? k[kRow + d] * scale : 0.0f;
        vr[d] = live ? v[kRow + d] : 0.0f;
        ak[d] = 0.0f;
        av[d] = 0.0f;
    }
    const int lastQuery = min(length - 1, min(length, j0 + LA_ROWS) - 1 + window - 1);
    for (int h = 0; h < heads; h++) {
        const float* qh = q + ((long) b * length * heads + h) * dim;   // row i at qh + i * heads * dim
        const float* gh = dOut + ((long) b * length * heads + h) * dim;
        const long stats = (long) (b * heads + h) * length;
        for (int i0 = j0; i0 <= lastQuery; i0 += LA_TILE) {
            __syncthreads();
            stageRows(qs, qh, (long) heads * dim, i0, lastQuery, dim);
            stageRows(gs, gh, (long) heads * dim, i0, lastQuery, dim);
            if (threadIdx.x < LA_TILE) {
                const int i = i0 + threadIdx.x;
                ls[threadIdx.x] = i <= lastQuery ? lse[stats + i] : 0.0f;
                dts[threadIdx.x] = i <= lastQuery ? delta[stats + i] : 0.0f;
            }
            __syncthreads();
            if (!live) continue;
            for (int r = 0; r < LA_TILE; r++) {
                const int i = i0 + r;
                if (i < j || i > j + window - 1 || i > lastQuery) continue;
                const float p = expf(dotRow(qs[r], kr, dim) - ls[r]);
                const float ds = p * (dotRow(gs[r], vr, dim) - dts[r]);
                for (int d = 0; d < dim; d++) {
                    av[d] += p * gs[r][d];
                    ak[d] += ds * qs[r][d];
                }
            }
        }
    }
    if (!live) return;
    for (int d = 0; d < dim; d++) {
        dk[kRow + d] = ak[d] * scale;
        dv[kRow + d] = av[d];
    }
}
