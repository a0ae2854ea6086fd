// Linear recurrences over time: the diagonal scan h_t = a'_t h_{t-1} + b_t on the time-last layout
// (row r, time t at r * length + t) with its fused gradient, and the dense n x n scan with its
// gradient. See Backend#linearScan and Backend#matrixScan for the exact contracts.
//
// Diagonal kernels split each row into `segments` consecutive segments of segLength steps (the last
// may be shorter); blocks loop over the jobs (row, segment). With one segment per row (rows fill
// the GPU) a block scans a whole row, chunk after chunk. With several (few rows, long sequences),
// the host runs three passes, without any inter-block waiting: linear_scan_reduce_f32 (each
// segment's aggregate), linear_scan_carry_f32 (the state entering each segment), then the scan
// kernel, which starts every segment from its entering state.
#include "scan.cuh"

// The job's segment [from, to) of its row.
__device__ __forceinline__ void segmentOf(long long job, int segments, int segLength, int length, long long& row, int& from,
                                          int& to) {
    row = job / segments;
    const int k = (int)(job % segments);
    from = k * segLength;
    to = min(length, from + segLength);
}

// The state entering the job's segment: from the carry pass with several segments, else initial.
__device__ __forceinline__ float enteringState(const float* entering, long long job, float initial) {
    return entering != nullptr ? entering[job] : initial;
}

struct WriteState {
    DiagonalSteps steps;
    float* out;
    static constexpr bool active = true;
    __device__ __forceinline__ void operator()(int s, float h) const { out[steps.base + steps.time(s)] = h; }
};

// The gradient scan's outputs at step s (time t), with dh its state: db_t = dh; da_t = dh * h_prev,
// where h_prev is the forward state before t, i.e. at this scan's next step (or h0 past the end),
// and 0 at a reset; at the last step dh0 = a'_t * dh.
struct WriteGradients {
    DiagonalSteps steps;
    const float* h;
    float h0;
    long long row;
    float* da;
    float* db;
    float* dh0;
    static constexpr bool active = true;
    __device__ __forceinline__ void operator()(int s, float dh) const {
        const int t = steps.time(s);
        db[steps.base + t] = dh;
        if (da != nullptr) {
            const float prev = s + 1 < steps.length ? h[steps.base + steps.time(s + 1)] : h0;
            da[steps.base + t] = steps.isReset(t) ? 0.0f : dh * prev;
        }
        if (dh0 != nullptr && s == steps.length - 1) dh0[row] = steps.effectiveA(t) * dh;
    }
};

// Forward: h_t = a'_t h_prev + b_t in the direction `reverse`; entering (rows * segments) is null
// with one segment per row, and the state then starts at h0 (or 0).
extern "C" __global__ void linear_scan_f32(const float* __restrict__ a, const float* __restrict__ b,
                                           const float* __restrict__ h0, const float* __restrict__ resets, int rows,
                                           int length, int reverse, int segments, int segLength,
                                           const float* __restrict__ entering, float* __restrict__ h) {
    const long long jobs = (long long)rows * segments;
    for (long long job = blockIdx.x; job < jobs; job += gridDim.x) {
        long long row;
        int from, to;
        segmentOf(job, segments, segLength, length, row, from, to);
        const DiagonalSteps steps = diagonalSteps(a, resets, b, row, length, reverse, 0);
        const float initial = enteringState(entering, job, h0 != nullptr ? h0[row] : 0.0f);
        blockScanRange(steps, from, to, initial, WriteState{steps, h});
    }
}

// Gradient of a forward scan in direction `reverse`: the lagged scan the other way over gradH,
// with db, da (optional, needs h) and dh0 (optional) written as it goes. Its state enters at 0.
extern "C" __global__ void linear_scan_backward_f32(const float* __restrict__ a, const float* __restrict__ h,
                                                    const float* __restrict__ h0, const float* __restrict__ resets,
                                                    const float* __restrict__ gradH, int rows, int length, int reverse,
                                                    int segments, int segLength, const float* __restrict__ entering,
                                                    float* __restrict__ da, float* __restrict__ db,
                                                    float* __restrict__ dh0) {
    const long long jobs = (long long)rows * segments;
    for (long long job = blockIdx.x; job < jobs; job += gridDim.x) {
        long long row;
        int from, to;
        segmentOf(job, segments, segLength, length, row, from, to);
        const DiagonalSteps steps = diagonalSteps(a, resets, gradH, row, length, !reverse, 1);
        const WriteGradients emit{steps, h, h0 != nullptr ? h0[row] : 0.0f, row, da, db, dh0};
        blockScanRange(steps, from, to, enteringState(entering, job, 0.0f), emit);
    }
}

// Pass 1 of the multi-block scan: the aggregate (c, x) of every segment but each row's last (whose
// aggregate nobody needs), into aggregates[(row * segments + k) * 2 + {0, 1}]. scanReverse and
// lagged describe the scan itself (the gradient's is the forward's direction flipped, lagged).
extern "C" __global__ void linear_scan_reduce_f32(const float* __restrict__ a, const float* __restrict__ x,
                                                  const float* __restrict__ resets, int rows, int length,
                                                  int scanReverse, int lagged, int segments, int segLength,
                                                  float* __restrict__ aggregates) {
    const int reduced = segments - 1;
    const long long jobs = (long long)rows * reduced;
    for (long long job = blockIdx.x; job < jobs; job += gridDim.x) {
        const long long row = job / reduced;
        const int k = (int)(job % reduced);
        const DiagonalSteps steps = diagonalSteps(a, resets, x, row, length, scanReverse, lagged);
        const Affine agg = blockScanRange(steps, k * segLength, min(length, (k + 1) * segLength), 0.0f, NoEmit{});
        if (threadIdx.x == 0) {
            aggregates[(row * segments + k) * 2] = agg.c;
            aggregates[(row * segments + k) * 2 + 1] = agg.x;
        }
    }
}

// Pass 2: the state entering each segment, one thread per row walking its (few) segments in order;
// h0 may be null (zero state).
extern "C" __global__ void linear_scan_carry_f32(const float* __restrict__ aggregates, const float* __restrict__ h0,
                                                 int rows, int segments, float* __restrict__ entering) {
    for (long long row = (long long)blockIdx.x * blockDim.x + threadIdx.x; row < rows;
         row += (long long)blockDim.x * gridDim.x) {
        float state = h0 != nullptr ? h0[row] : 0.0f;
        entering[row * segments] = state;
        for (int k = 1; k < segments; ++k) {
            const long long agg = (row * segments + k - 1) * 2;
            state = aggregates[agg] * state + aggregates[agg + 1];
            entering[row * segments + k] = state;
        }
    }
}

// ---- dense n x n recurrences (n <= 32) ----------------------------------------------------------
// One warp (a block of 32 threads) per sequence, sequential over time: lane i owns h_i. Each step's
// matrix is staged in shared memory with coalesced loads, rows padded to 33 floats so that both the
// row reads of the forward and the column reads of the transposed gradient are free of bank
// conflicts. Work per step is n^2 per sequence, as in the sequential loop; parallelism comes from
// the rows (a time-parallel dense scan would cost n^3 per step).
#define MAT_MAX 32
#define MAT_STRIDE (MAT_MAX + 1)

// Stages A_t (n x n at a) into shared mat; a warp-wide call.
__device__ __forceinline__ void stageMatrix(const float* __restrict__ a, int n, float* mat) {
    for (int k = threadIdx.x; k < n * n; k += 32) mat[(k / n) * MAT_STRIDE + k % n] = a[k];
}

// (C h)_lane with C = mat, or its transpose; state in shared vec.
__device__ __forceinline__ float matVecLane(const float* mat, const float* vec, int n, bool transposed) {
    float sum = 0.0f;
    const int i = threadIdx.x;
    for (int j = 0; j < n; ++j) sum += (transposed ? mat[j * MAT_STRIDE + i] : mat[i * MAT_STRIDE + j]) * vec[j];
    return sum;
}

// Forward: h_t = A_t h_prev + b_t; A (rows, length, n, n), b and h (rows, length, n), h0 (rows, n) or null.
extern "C" __global__ void matrix_scan_f32(const float* __restrict__ a, const float* __restrict__ b,
                                           const float* __restrict__ h0, int rows, int length, int n, int reverse,
                                           float* __restrict__ h) {
    __shared__ float mat[MAT_MAX * MAT_STRIDE];
    __shared__ float state[MAT_MAX];
    const int lane = threadIdx.x;
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        __syncwarp();  // the previous row's last step may still read the buffers
        if (lane < n) state[lane] = h0 != nullptr ? h0[row * n + lane] : 0.0f;
        for (int s = 0; s < length; ++s) {
            const long long t = row * length + (reverse ? length - 1 - s : s);
            stageMatrix(a + t * n * n, n, mat);
            __syncwarp();
            const float next = lane < n ? matVecLane(mat, state, n, false) + b[t * n + lane] : 0.0f;
            __syncwarp();
            if (lane < n) {
                state[lane] = next;
                h[t * n + lane] = next;
            }
        }
    }
}

// Gradient: λ_t = gradH_t + A_next^T λ_next, where next is the forward step after t (λ past the
// end is 0), runs the other way; db = λ, dA_t = λ_t h_prev^T (optional, needs h; h_prev = h0 or 0
// before the first forward step), dh0 = A_first^T λ_first (optional).
extern "C" __global__ void matrix_scan_backward_f32(const float* __restrict__ a, const float* __restrict__ h,
                                                    const float* __restrict__ h0, const float* __restrict__ gradH,
                                                    int rows, int length, int n, int reverse, float* __restrict__ dA,
                                                    float* __restrict__ db, float* __restrict__ dh0) {
    __shared__ float mat[MAT_MAX * MAT_STRIDE];
    __shared__ float lambda[MAT_MAX];
    __shared__ float prev[MAT_MAX];
    const int lane = threadIdx.x;
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        __syncwarp();
        if (lane < n) lambda[lane] = 0.0f;
        long long tNext = -1;  // the forward step after t, whose matrix carries λ back to t
        for (int s = 0; s < length; ++s) {
            const int local = reverse ? s : length - 1 - s;  // the gradient runs against the forward
            const long long t = row * length + local;
            if (tNext >= 0) stageMatrix(a + tNext * n * n, n, mat);
            __syncwarp();
            const float carried = tNext >= 0 && lane < n ? matVecLane(mat, lambda, n, true) : 0.0f;
            const float mine = lane < n ? carried + gradH[t * n + lane] : 0.0f;
            __syncwarp();
            if (lane < n) {
                lambda[lane] = mine;
                db[t * n + lane] = mine;
            }
            if (dA != nullptr) {
                const bool first = s == length - 1;  // the first forward step: h_prev is h0
                if (lane < n) prev[lane] = first ? (h0 != nullptr ? h0[row * n + lane] : 0.0f)
                                                 : h[(t + (reverse ? 1 : -1)) * n + lane];
                __syncwarp();
                for (int k = lane; k < n * n; k += 32) dA[t * n * n + k] = lambda[k / n] * prev[k % n];
            }
            tNext = t;
        }
        if (dh0 != nullptr && length > 0) {
            stageMatrix(a + tNext * n * n, n, mat);
            __syncwarp();
            const float d = lane < n ? matVecLane(mat, lambda, n, true) : 0.0f;
            if (lane < n) dh0[row * n + lane] = d;
        }
    }
}
