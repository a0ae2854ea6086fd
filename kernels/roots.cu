// Inverse p-th roots and eigendecompositions of batches of symmetric matrices (Shampoo, SOAP), in
// float32. One block of ROOT_THREADS threads per matrix (grid-stride over the batch). A matrix of
// side n <= ROOT_SMALL keeps all its work matrices in shared memory; a larger one keeps them in the
// block's slice of a global workspace (rootWorkspaceFloats(n) floats per block, from the host) and
// multiplies with ROOT_TILE x ROOT_TILE shared-memory tiles. The algorithms are those of the CPU
// backend (CoupledNewtonRoot, JacobiEigen, EigenRoot), with the Jacobi sweeps in parallel order.
#include "common.cuh"
#include "reduce.cuh"

#define ROOT_SMALL 32
#define ROOT_THREADS 256
#define ROOT_TILE 16
#define ROOT_MATRICES 6               // work matrices of n x n per block
#define ROOT_GROWTH 1.2f              // ||M - I||_F growing by more than this stops Newton
#define ROOT_POWER_ITERATIONS 100
#define JACOBI_TOLERANCE 1e-6f        // stop when ||off(A)||_F <= this * ||A||_F (float32)
#define JACOBI_MAX_SWEEPS 30

// Floats of work per matrix: ROOT_MATRICES matrices, four vectors of n + 1 and 32 floats of
// reduction scratch (at the end, see rootScratch); the shared-memory copy for n <= ROOT_SMALL.
#define ROOT_SHARED_FLOATS (ROOT_MATRICES * ROOT_SMALL * ROOT_SMALL + 4 * (ROOT_SMALL + 1) + 32)
__host__ __device__ __forceinline__ long long rootWorkspaceFloats(int n) {
    return (long long)ROOT_MATRICES * n * n + 4LL * (n + 1) + 32;
}

// C = A B for n x n row-major matrices (C aliases neither). Ends with a barrier.
__device__ void rootMatmul(const float* A, const float* B, float* C, int n) {
    if (n <= ROOT_SMALL) {
        for (int e = threadIdx.x; e < n * n; e += blockDim.x) {
            const int i = e / n, j = e % n;
            float s = 0.0f;
            for (int k = 0; k < n; ++k) s += A[i * n + k] * B[k * n + j];
            C[e] = s;
        }
        __syncthreads();
        return;
    }
    __shared__ float ta[ROOT_TILE][ROOT_TILE + 1];
    __shared__ float tb[ROOT_TILE][ROOT_TILE + 1];
    const int tx = threadIdx.x % ROOT_TILE, ty = threadIdx.x / ROOT_TILE;   // ROOT_THREADS = ROOT_TILE^2
    const int tiles = (n + ROOT_TILE - 1) / ROOT_TILE;
    for (int t = 0; t < tiles * tiles; ++t) {
        const int row = (t / tiles) * ROOT_TILE + ty, col = (t % tiles) * ROOT_TILE + tx;
        float acc = 0.0f;
        for (int kt = 0; kt < tiles; ++kt) {
            const int ka = kt * ROOT_TILE + tx, kb = kt * ROOT_TILE + ty;
            ta[ty][tx] = row < n && ka < n ? A[(long long)row * n + ka] : 0.0f;
            tb[ty][tx] = kb < n && col < n ? B[(long long)kb * n + col] : 0.0f;
            __syncthreads();
            for (int k = 0; k < ROOT_TILE; ++k) acc += ta[ty][k] * tb[k][tx];
            __syncthreads();
        }
        if (row < n && col < n) C[(long long)row * n + col] = acc;
    }
    __syncthreads();
}

// ||M - I||_F (identity false: ||M||_F) and max |M - I| (NaN if any entry is NaN), on every thread.
__device__ void rootNorms(const float* M, int n, bool identity, float* scratch, float& frobenius, float& maxAbs) {
    float sum = 0.0f, worst = 0.0f;
    bool nan = false;
    for (int e = threadIdx.x; e < n * n; e += blockDim.x) {
        const float d = M[e] - (identity && e / n == e % n ? 1.0f : 0.0f);
        sum += d * d;
        worst = fmaxf(worst, fabsf(d));
        nan |= d != d;
    }
    frobenius = sqrtf(blockSum(sum, scratch));
    maxAbs = blockMax(nan ? INFINITY : worst, scratch);
    if (maxAbs == INFINITY && frobenius != INFINITY) maxAbs = NAN;
}

// The 32 floats of block-reduction scratch at the end of a block's work.
__device__ __forceinline__ float* rootScratch(float* work, int n) { return work + ROOT_MATRICES * n * n + 4 * (n + 1); }

// The symmetric part of a[0 .. n*n) into M. Ends with a barrier.
__device__ void rootLoadSymmetric(const float* a, int n, float* M) {
    for (int e = threadIdx.x; e < n * n; e += blockDim.x) {
        const int i = e / n, j = e % n;
        M[e] = 0.5f * (a[e] + a[j * n + i]);
    }
    __syncthreads();
}

// The largest eigenvalue of symmetric positive semi-definite M by power iteration from the CPU's
// fixed start vector, on every thread.
__device__ float rootLargestEigenvalue(const float* M, int n, float* v, float* w, float* scratch) {
    float partial = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        v[i] = 1.0f + 0.5f * sinf((float)(i + 1));
        partial += v[i] * v[i];
    }
    float norm = sqrtf(blockSum(partial, scratch));
    for (int i = threadIdx.x; i < n; i += blockDim.x) v[i] /= norm;
    __syncthreads();
    float lambda = 0.0f;
    for (int it = 0; it < ROOT_POWER_ITERATIONS; ++it) {
        float dot = 0.0f, squares = 0.0f;
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            float s = 0.0f;
            for (int j = 0; j < n; ++j) s += M[i * n + j] * v[j];
            w[i] = s;
            dot += v[i] * s;
            squares += s * s;
        }
        const float next = blockSum(dot, scratch);
        norm = sqrtf(blockSum(squares, scratch));
        if (norm > 0.0f)
            for (int i = threadIdx.x; i < n; i += blockDim.x) v[i] = w[i] / norm;
        __syncthreads();
        const bool settled = fabsf(next - lambda) <= 1e-6f * fabsf(next);
        lambda = next;
        if (norm == 0.0f || settled) break;
    }
    return lambda;
}

// The coupled Newton iteration (CoupledNewtonRoot): root = (A + ridge I)^(-1/p) for the symmetric
// part of a; returns the final max|M - I| (NaN for a zero or non-finite A).
__device__ float newtonRoot(const float* a, int n, int p, float epsilon, int relative, int maxIterations, float tolerance,
                            float* root, float* work) {
    const int nn = n * n;
    float* M = work;
    float* H = work + nn;
    float* Mi = work + 2 * nn;
    float* R = work + 3 * nn;
    float* S = work + 4 * nn;
    float* T = work + 5 * nn;
    float* v = work + ROOT_MATRICES * nn;
    float* w = v + n + 1;
    float* scratch = rootScratch(work, n);
    rootLoadSymmetric(a, n, M);
    const float ridge = relative ? epsilon * fmaxf(rootLargestEigenvalue(M, n, v, w, scratch), 1e-6f) : epsilon;
    for (int i = threadIdx.x; i < n; i += blockDim.x) M[i * n + i] += ridge;
    __syncthreads();
    float norm, unused;
    rootNorms(M, n, false, scratch, norm, unused);
    if (!(norm > 0.0f) || norm == INFINITY) {
        for (int e = threadIdx.x; e < nn; e += blockDim.x) root[e] = NAN;
        return NAN;
    }
    const float z = (1.0f + p) / (2.0f * norm), hScale = powf(z, 1.0f / p), alpha = -1.0f / p;
    for (int e = threadIdx.x; e < nn; e += blockDim.x) {
        M[e] *= z;
        H[e] = e / n == e % n ? hScale : 0.0f;
    }
    __syncthreads();
    float distance, error;
    rootNorms(M, n, true, scratch, distance, error);
    for (int it = 0; it < maxIterations && error > tolerance; ++it) {
        for (int e = threadIdx.x; e < nn; e += blockDim.x) Mi[e] = alpha * M[e] + (e / n == e % n ? 1.0f - alpha : 0.0f);
        __syncthreads();
        // R = Mi^p by repeated squaring; S holds the running square, T is scratch.
        for (int e = threadIdx.x; e < nn; e += blockDim.x) S[e] = Mi[e];
        __syncthreads();
        bool haveResult = false;
        for (int e = p;;) {
            if (e & 1) {
                if (!haveResult) {
                    for (int k = threadIdx.x; k < nn; k += blockDim.x) R[k] = S[k];
                    __syncthreads();
                    haveResult = true;
                } else {
                    rootMatmul(R, S, T, n);
                    float* swap = R; R = T; T = swap;
                }
            }
            e >>= 1;
            if (e == 0) break;
            rootMatmul(S, S, T, n);
            float* swap = S; S = T; T = swap;
        }
        rootMatmul(R, M, T, n);                      // the next M, in T
        float nextDistance, nextError;
        rootNorms(T, n, true, scratch, nextDistance, nextError);
        if (!(nextDistance <= ROOT_GROWTH * distance)) break;
        float* swap = M; M = T; T = swap;
        rootMatmul(H, Mi, S, n);                     // the next H, in S
        swap = H; H = S; S = swap;
        distance = nextDistance;
        error = nextError;
    }
    for (int e = threadIdx.x; e < nn; e += blockDim.x) root[e] = H[e];
    return error;
}

// The pair that index k (< m/2) of round r (< m - 1) rotates in the circle method on m (even)
// indices: every pair meets once per sweep of m - 1 rounds, and the pairs of a round are disjoint.
__device__ __forceinline__ void jacobiPair(int r, int k, int m, int& p, int& q) {
    if (k == 0) {
        p = r;
        q = m - 1;
    } else {
        p = (r + k) % (m - 1);
        q = (r - k + m - 1) % (m - 1);
    }
    if (p > q) { const int t = p; p = q; q = t; }
}

// ||off(A)||_F, summed directly (not as ||A||^2 - ||diag||^2, which cancels in float32), on every thread.
__device__ float jacobiOffDiagonal(const float* A, int n, float* scratch) {
    float sum = 0.0f;
    for (int e = threadIdx.x; e < n * n; e += blockDim.x)
        if (e / n != e % n) sum += A[e] * A[e];
    return sqrtf(blockSum(sum, scratch));
}

// Cyclic Jacobi on A (n x n, overwritten: its diagonal ends as the eigenvalues), eigenvectors as
// the columns of V; the m/2 disjoint rotations of a round run at once. Returns ||off||_F / ||A||_F.
__device__ float jacobi(float* A, float* V, int n, float* cs, float* scratch) {
    const int nn = n * n, m = n + (n & 1), half = m / 2;
    for (int e = threadIdx.x; e < nn; e += blockDim.x) V[e] = e / n == e % n ? 1.0f : 0.0f;
    __syncthreads();
    float total, unused;
    rootNorms(A, n, false, scratch, total, unused);
    float off = jacobiOffDiagonal(A, n, scratch);
    for (int sweep = 0; sweep < JACOBI_MAX_SWEEPS && off > JACOBI_TOLERANCE * total; ++sweep) {
        for (int r = 0; r < m - 1; ++r) {
            for (int k = threadIdx.x; k < half; k += blockDim.x) {
                int p, q;
                jacobiPair(r, k, m, p, q);
                float c = 1.0f, s = 0.0f;
                if (q < n && A[p * n + q] != 0.0f) {
                    const float apq = A[p * n + q], tau = (A[q * n + q] - A[p * n + p]) / (2.0f * apq);
                    const float t = (tau >= 0.0f ? 1.0f : -1.0f) / (fabsf(tau) + sqrtf(1.0f + tau * tau));
                    c = rsqrtf(1.0f + t * t);
                    s = t * c;
                }
                cs[2 * k] = c;
                cs[2 * k + 1] = s;
            }
            __syncthreads();
            for (int e = threadIdx.x; e < half * n; e += blockDim.x) {   // rows p and q: A <- J^T A
                const int k = e / n, j = e % n;
                int p, q;
                jacobiPair(r, k, m, p, q);
                if (q >= n) continue;
                const float c = cs[2 * k], s = cs[2 * k + 1], ap = A[p * n + j], aq = A[q * n + j];
                A[p * n + j] = c * ap - s * aq;
                A[q * n + j] = s * ap + c * aq;
            }
            __syncthreads();
            for (int e = threadIdx.x; e < half * n; e += blockDim.x) {   // columns p and q: A <- A J, V <- V J
                const int k = e / n, i = e % n;
                int p, q;
                jacobiPair(r, k, m, p, q);
                if (q >= n) continue;
                const float c = cs[2 * k], s = cs[2 * k + 1];
                const float ap = A[i * n + p], aq = A[i * n + q], vp = V[i * n + p], vq = V[i * n + q];
                A[i * n + p] = c * ap - s * aq;
                A[i * n + q] = s * ap + c * aq;
                V[i * n + p] = c * vp - s * vq;
                V[i * n + q] = s * vp + c * vq;
            }
            __syncthreads();
            for (int k = threadIdx.x; k < half; k += blockDim.x) {       // exactly zero, as in exact arithmetic
                int p, q;
                jacobiPair(r, k, m, p, q);
                if (q < n) A[p * n + q] = A[q * n + p] = 0.0f;
            }
            __syncthreads();
        }
        off = jacobiOffDiagonal(A, n, scratch);
    }
    return total == 0.0f ? 0.0f : off / total;
}

// Where block b keeps its work: shared memory for a small matrix, else its workspace slice.
__device__ __forceinline__ float* rootWork(int n, float* shared, float* work) {
    return n <= ROOT_SMALL ? shared : work + (long long)blockIdx.x * rootWorkspaceFloats(n);
}

// A Jacobi kernel's work: the matrix and eigenvectors, a vector for per-eigenvalue values, the
// rotations of a round (cosine, sine per pair) and reduction scratch.
struct JacobiWork {
    float* A;
    float* V;
    float* values;
    float* rotations;
    float* scratch;
};

__device__ __forceinline__ JacobiWork jacobiWork(float* base, int n) {
    float* values = base + ROOT_MATRICES * n * n;
    return JacobiWork{base, base + n * n, values, values + (n + 1), rootScratch(base, n)};
}

// Loads the symmetric part of a and diagonalizes it in place; returns Jacobi's residual.
__device__ float jacobiLoadAndRun(const float* a, int n, const JacobiWork& w) {
    __syncthreads();   // the previous matrix's last reads of the work buffers
    rootLoadSymmetric(a, n, w.A);
    return jacobi(w.A, w.V, n, w.rotations, w.scratch);
}

extern "C" __global__ void inverse_root_newton_f32(const float* __restrict__ a, int batch, int n, int p, float epsilon,
                                                   int relative, int maxIterations, float tolerance,
                                                   float* __restrict__ roots, float* __restrict__ residuals, float* work) {
    __shared__ float shared[ROOT_SHARED_FLOATS];
    float* mine = rootWork(n, shared, work);
    for (long long b = blockIdx.x; b < batch; b += gridDim.x) {
        __syncthreads();   // the previous matrix's last reads of the work buffers
        const float r = newtonRoot(a + b * n * n, n, p, epsilon, relative, maxIterations, tolerance, roots + b * n * n, mine);
        if (threadIdx.x == 0) residuals[b] = r;
    }
}

// Root from the eigendecomposition (EigenRoot): V diag((max(lambda, 0) + ridge)^(-1/p)) V^T; the
// residual is Jacobi's relative off-diagonal norm, NaN when the root is not finite.
extern "C" __global__ void inverse_root_eigen_f32(const float* __restrict__ a, int batch, int n, int p, float epsilon,
                                                  int relative, float* __restrict__ roots, float* __restrict__ residuals,
                                                  float* work) {
    __shared__ float shared[ROOT_SHARED_FLOATS];
    const JacobiWork w = jacobiWork(rootWork(n, shared, work), n);
    const int nn = n * n;
    float* A = w.A;
    float* V = w.V;
    float* f = w.values;
    float* scratch = w.scratch;
    for (long long b = blockIdx.x; b < batch; b += gridDim.x) {
        const float residual = jacobiLoadAndRun(a + b * nn, n, w);
        float largest = -INFINITY;
        for (int i = threadIdx.x; i < n; i += blockDim.x) largest = fmaxf(largest, A[i * n + i]);
        largest = blockMax(largest, scratch);
        const float ridge = relative ? epsilon * fmaxf(largest, 1e-6f) : epsilon;
        for (int j = threadIdx.x; j < n; j += blockDim.x) f[j] = powf(fmaxf(A[j * n + j], 0.0f) + ridge, -1.0f / p);
        __syncthreads();
        bool finite = true;
        for (int e = threadIdx.x; e < nn; e += blockDim.x) {
            const int i = e / n, k = e % n;
            float s = 0.0f;
            for (int j = 0; j < n; ++j) s += V[i * n + j] * f[j] * V[k * n + j];
            roots[b * nn + e] = s;
            finite &= s - s == 0.0f;   // false for infinities and NaN
        }
        const float bad = blockMax(finite ? 0.0f : 1.0f, scratch);
        if (threadIdx.x == 0) residuals[b] = bad > 0.0f ? NAN : residual;
    }
}

// Eigenvalues ascending into values (batch, n) and the matching eigenvectors as the columns of
// vectors (batch, n, n): each column goes to the rank of its eigenvalue (ties by index).
extern "C" __global__ void symmetric_eigen_f32(const float* __restrict__ a, int batch, int n, float* __restrict__ values,
                                               float* __restrict__ vectors, float* work) {
    __shared__ float shared[ROOT_SHARED_FLOATS];
    const JacobiWork w = jacobiWork(rootWork(n, shared, work), n);
    const int nn = n * n;
    float* A = w.A;
    float* V = w.V;
    for (long long b = blockIdx.x; b < batch; b += gridDim.x) {
        jacobiLoadAndRun(a + b * nn, n, w);
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            const float lambda = A[j * n + j];
            int rank = 0;
            for (int i = 0; i < n; ++i) {
                const float other = A[i * n + i];
                rank += other < lambda || (other == lambda && i < j);
            }
            values[b * n + rank] = lambda;
            for (int i = 0; i < n; ++i) vectors[b * nn + i * n + rank] = V[i * n + j];
        }
    }
}
