package io.recur.backend.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * SGEMM through cuBLAS (JCublas2). cuBLAS is column-major; a row-major matrix read column-major is
 * its transpose, so row-major C = op(A) op(B) is computed as column-major C^T = op(B)^T op(A)^T:
 * the operands swap places and m and n swap, while each keeps its own transpose flag.
 */
final class CublasGemm implements GemmEngine {
    private final cublasHandle handle = new cublasHandle();

    private CublasGemm() {
        JCublas2.setExceptionsEnabled(true);
        JCublas2.cublasCreate(handle);  // throws UnsatisfiedLinkError when libcublas.so.12 is missing
    }

    /** cuBLAS on the current context (that of the JCudaDriver), or why it cannot be used. */
    record Choice(CublasGemm engine, String whyNot) {}

    static Choice tryOpen() {
        try {
            return new Choice(new CublasGemm(), "");
        } catch (LinkageError e) {
            String msg = String.valueOf(e.getMessage());
            return new Choice(null, msg.contains("cublas") || msg.contains("JCublas")
                    ? "cuBLAS unavailable: libcublas.so.12 (CUDA 12 cuBLAS) was not found; add it to LD_LIBRARY_PATH for faster GEMM"
                    : "cuBLAS unavailable: " + msg);
        } catch (jcuda.CudaException e) {
            return new Choice(null, "cuBLAS could not start: " + e.getMessage());
        }
    }

    @Override public String name() { return "cuBLAS"; }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, long a, long strideA,
                     long b, long strideB, float beta, long c, long strideC) {
        if (batch == 0 || m == 0 || n == 0) return;
        int lda = Math.max(1, transA ? m : k), ldb = Math.max(1, transB ? k : n);
        try {
            JCublas2.cublasSgemmStridedBatched(handle, transB ? CUBLAS_OP_T : CUBLAS_OP_N, transA ? CUBLAS_OP_T : CUBLAS_OP_N,
                    n, m, k, Pointer.to(new float[] {alpha}), JCudaDriver.pointer(b), ldb, strideB,
                    JCudaDriver.pointer(a), lda, strideA, Pointer.to(new float[] {beta}), JCudaDriver.pointer(c), n, strideC, batch);
        } catch (jcuda.CudaException e) {
            throw new CudaDriverException("cublasSgemmStridedBatched failed for batch " + batch + ", m " + m + ", n " + n
                    + ", k " + k + (transA ? ", A transposed" : "") + (transB ? ", B transposed" : "") + ": " + e.getMessage(), e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            JCublas2.cublasDestroy(handle);
        } catch (jcuda.CudaException e) {
            // shutting down: nothing to recover
        }
    }
}
