package io.recur.backend.cuda;

/**
 * Batched row-major SGEMM on device addresses, with the contract of
 * {@link io.recur.backend.Backend#gemm}: cuBLAS when present, else the own kernel.
 */
interface GemmEngine extends AutoCloseable {
    /** "cuBLAS" or "own SGEMM". */
    String name();

    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, long a, long strideA,
              long b, long strideB, float beta, long c, long strideC);

    @Override
    default void close() {}
}
