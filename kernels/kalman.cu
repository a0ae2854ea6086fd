// The data-independent half of ELK's Kalman filter and Rauch-Tung-Striebel smoother
// (Backend.kalmanGains, DenseKalman), parallel in time, in float64 (float32 in and out).
//
// The filtered covariances P_t are the prefixes of an associative scan over Sarkka and
// Garcia-Fernandez's (2021) filtering elements, restricted to their data-independent part
// (A, C, Jbar), for F_t = J_t, H = I, Q = I, R = s I (s: the observation variance), so that
// K = Q (Q + R)^-1 = I / (1 + s) and, with c = s / (1 + s):
//   step 0 (P_{-1} = 0):  A = 0,       C = P^_0 - K S K^T = c I,   Jbar = 0
//   step t > 0:           A = c J_t,   C = (I - K) Q = c I,        Jbar = J_t^T (Q + R)^-1 J_t = J_t^T J_t / (1 + s)
// For an earlier element i and a later one j, with M = I + C_i Jbar_j (eigenvalues >= 1, as C_i and
// Jbar_j are positive semi-definite) and [X_A | X_C] = M^-1 [A_i | C_i]:
//   A_ij = A_j X_A,   C_ij = A_j X_C A_j^T + C_j,   Jbar_ij = X_A^T Jbar_j A_i + Jbar_i
// ((I + Jbar_j C_i)^-1 = M^-T since C_i and Jbar_j are symmetric). The prefix over steps 0..t has
// A = 0, Jbar = 0 and C = P_t.
//
// The scan is Hillis-Steele between two workspaces of (rows, T, 3, n, n) doubles: kalman_elements_f64
// once, then kalman_combine_f64 with distance 1, 2, 4, ... < T (ceil(log2 T) launches). Last,
// kalman_gains_f32 per (row, t): P^_t = J_t P_{t-1} J_t^T + I, keep_t = I - K_t = s (P^_t + s I)^-1,
// and G_t = P_t J_{t+1}^T P^_{t+1}^-1 = (P^_{t+1}^-1 J_{t+1} P_t)^T (zero at the last step).
// One block per (row, t) (grid-stride), its n x n matrices (n <= KALMAN_MAX_N) in shared memory.
#include "common.cuh"

#define KALMAN_MAX_N 32

// Gauss-Jordan elimination with partial pivoting of the n x w row-major augmented matrix [M | R]
// in shared memory: leaves M^-1 R in columns n .. w-1 (the first n columns end as garbage). The
// whole block calls it after a barrier; it ends with one.
__device__ void kalmanGaussJordan(double* aug, int n, int w) {
    __shared__ double factor[KALMAN_MAX_N];
    __shared__ double pivot[2];   // 1 / the pivot; the entry the pivot row swaps out of the diagonal
    __shared__ int pivotRow;
    for (int col = 0; col < n; ++col) {
        if (threadIdx.x == 0) {
            int p = col;
            for (int r = col + 1; r < n; ++r)
                if (fabs(aug[r * w + col]) > fabs(aug[p * w + col])) p = r;
            pivotRow = p;
            pivot[0] = 1.0 / aug[p * w + col];
            pivot[1] = aug[col * w + col];
        }
        __syncthreads();
        const int p = pivotRow;
        const double inverse = pivot[0];
        for (int j = col + threadIdx.x; j < w; j += blockDim.x) {   // swap rows col and p, scale the pivot row
            const double top = aug[col * w + j];
            aug[col * w + j] = aug[p * w + j] * inverse;
            if (p != col) aug[p * w + j] = top;
        }
        for (int r = threadIdx.x; r < n; r += blockDim.x)   // column col of every other row, after the swap
            factor[r] = r == col ? 0.0 : r == p ? pivot[1] : aug[r * w + col];
        __syncthreads();
        const int width = w - col - 1;
        for (int e = threadIdx.x; e < n * width; e += blockDim.x) {
            const int r = e / width, j = col + 1 + e % width;
            if (r != col) aug[r * w + j] -= factor[r] * aug[col * w + j];
        }
        __syncthreads();
    }
}

// The elements of every (row, t): A, C, Jbar one after another, n x n each.
extern "C" __global__ void kalman_elements_f64(const float* __restrict__ jacobian, int rows, int length, int n,
                                               long long varianceBits, double* __restrict__ elements) {
    const double s = __longlong_as_double(varianceBits), c = s / (1.0 + s);
    const long long nn = (long long)n * n, total = (long long)rows * length * nn;
    for (long long i = firstIndex(); i < total; i += gridStride()) {
        const long long job = i / nn;
        const int e = (int)(i % nn), r = e / n, k = e % n;
        const bool first = job % length == 0;
        const float* J = jacobian + job * nn;
        double* out = elements + job * 3 * nn;
        double gram = 0.0;
        if (!first)
            for (int q = 0; q < n; ++q) gram += (double)J[q * n + r] * (double)J[q * n + k];
        out[e] = first ? 0.0 : c * (double)J[e];
        out[nn + e] = r == k ? c : 0.0;
        out[2 * nn + e] = gram / (1.0 + s);
    }
}

// One Hillis-Steele step: out(t) = in(t - distance) combined with in(t) for t >= distance, else in(t)
// (already a prefix).
extern "C" __global__ void kalman_combine_f64(const double* __restrict__ in, int rows, int length, int n, int distance,
                                              double* __restrict__ out) {
    __shared__ double aug[KALMAN_MAX_N * 3 * KALMAN_MAX_N];
    __shared__ double product[KALMAN_MAX_N * KALMAN_MAX_N];
    const int nn = n * n, w = 3 * n;
    const long long jobs = (long long)rows * length;
    for (long long job = blockIdx.x; job < jobs; job += gridDim.x) {
        const double* later = in + job * 3 * nn;
        double* result = out + job * 3 * nn;
        if (job % length < distance) {
            for (int e = threadIdx.x; e < 3 * nn; e += blockDim.x) result[e] = later[e];
            continue;
        }
        const double* earlier = later - (long long)distance * 3 * nn;
        const double *Ai = earlier, *Ci = earlier + nn, *Ji = earlier + 2 * nn;
        const double *Aj = later, *Cj = later + nn, *Jj = later + 2 * nn;
        __syncthreads();   // the previous job's last reads of aug and product
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {   // [I + C_i Jbar_j | A_i | C_i]
            const int r = e / n, k = e % n;
            double m = r == k ? 1.0 : 0.0;
            for (int q = 0; q < n; ++q) m += Ci[r * n + q] * Jj[q * n + k];
            aug[r * w + k] = m;
            aug[r * w + n + k] = Ai[e];
            aug[r * w + 2 * n + k] = Ci[e];
        }
        __syncthreads();
        kalmanGaussJordan(aug, n, w);
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {   // A_ij = A_j X_A; product = A_j X_C
            const int r = e / n, k = e % n;
            double a = 0.0, x = 0.0;
            for (int q = 0; q < n; ++q) {
                a += Aj[r * n + q] * aug[q * w + n + k];
                x += Aj[r * n + q] * aug[q * w + 2 * n + k];
            }
            result[e] = a;
            product[e] = x;
        }
        __syncthreads();
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {   // C_ij = product A_j^T + C_j
            const int r = e / n, k = e % n;
            double v = Cj[e];
            for (int q = 0; q < n; ++q) v += product[r * n + q] * Aj[k * n + q];
            result[nn + e] = v;
        }
        __syncthreads();
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {   // product = X_A^T Jbar_j
            const int r = e / n, k = e % n;
            double v = 0.0;
            for (int q = 0; q < n; ++q) v += aug[q * w + n + r] * Jj[q * n + k];
            product[e] = v;
        }
        __syncthreads();
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {   // Jbar_ij = product A_i + Jbar_i
            const int r = e / n, k = e % n;
            double v = Ji[e];
            for (int q = 0; q < n; ++q) v += product[r * n + q] * Ai[q * n + k];
            result[2 * nn + e] = v;
        }
    }
}

// aug (n x 2n) = [J P J^T + (1 + shift) I | R] with R = J P (rightIsProduct) or I; P null means 0.
// product ends holding J P. The whole block calls it; it ends with a barrier.
__device__ void kalmanPredicted(const float* J, const double* P, int n, double shift, bool rightIsProduct, double* product,
                                double* aug) {
    const int nn = n * n, w = 2 * n;
    for (int e = threadIdx.x; e < nn; e += blockDim.x) {
        const int r = e / n, k = e % n;
        double v = 0.0;
        if (P != nullptr)
            for (int q = 0; q < n; ++q) v += (double)J[r * n + q] * P[q * n + k];
        product[e] = v;
    }
    __syncthreads();
    for (int e = threadIdx.x; e < nn; e += blockDim.x) {
        const int r = e / n, k = e % n;
        double v = r == k ? 1.0 + shift : 0.0;
        for (int q = 0; q < n; ++q) v += product[r * n + q] * (double)J[k * n + q];
        aug[r * w + k] = v;
        aug[r * w + n + k] = rightIsProduct ? product[e] : (r == k ? 1.0 : 0.0);
    }
    __syncthreads();
}

// keep_t and G_t of every (row, t) from the filtered covariances, the scan's C of (row, t).
extern "C" __global__ void kalman_gains_f32(const float* __restrict__ jacobian, const double* __restrict__ prefixes, int rows,
                                            int length, int n, long long varianceBits, float* __restrict__ keep,
                                            float* __restrict__ gain) {
    __shared__ double aug[KALMAN_MAX_N * 2 * KALMAN_MAX_N];
    __shared__ double product[KALMAN_MAX_N * KALMAN_MAX_N];
    const double s = __longlong_as_double(varianceBits);
    const int nn = n * n, w = 2 * n;
    const long long jobs = (long long)rows * length;
    for (long long job = blockIdx.x; job < jobs; job += gridDim.x) {
        const int t = (int)(job % length);
        __syncthreads();   // the previous job's last reads of aug
        const double* previous = t == 0 ? nullptr : prefixes + (job - 1) * 3 * nn + nn;
        kalmanPredicted(jacobian + job * nn, previous, n, s, false, product, aug);   // [P^_t + s I | I]
        kalmanGaussJordan(aug, n, w);
        for (int e = threadIdx.x; e < nn; e += blockDim.x) keep[job * nn + e] = (float)(s * aug[(e / n) * w + n + e % n]);
        if (t == length - 1) {
            for (int e = threadIdx.x; e < nn; e += blockDim.x) gain[job * nn + e] = 0.0f;
            continue;
        }
        kalmanPredicted(jacobian + (job + 1) * nn, prefixes + job * 3 * nn + nn, n, 0.0, true, product, aug);   // [P^_{t+1} | J_{t+1} P_t]
        kalmanGaussJordan(aug, n, w);
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {   // G_t = X^T
            const int r = e / n, k = e % n;
            gain[job * nn + e] = (float)aug[k * w + n + r];
        }
    }
}
