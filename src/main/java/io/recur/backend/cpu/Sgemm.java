package io.recur.backend.cpu;

/**
 * One row-major single-precision GEMM on heap arrays: C = alpha * op(A) * op(B) + beta * C with
 * op(A) m×k, op(B) k×n, C m×n, each matrix starting at its offset. Callers guarantee m, n, k >= 1.
 * With beta = 0, C must not be read.
 */
interface Sgemm {
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC);

    /** What computes the product, for descriptions ("OpenBLAS 0.3.31 (Haswell kernels)"). */
    String description();

    /** Longer lines for `recur info`. */
    java.util.List<String> details();
}
