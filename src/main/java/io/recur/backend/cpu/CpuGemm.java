package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;

import io.recur.tensor.Tensor;

/** Batched GEMM over an {@link Sgemm}: bounds checks, batch strides (0 = broadcast) and empty sizes. */
final class CpuGemm {
    private final Sgemm kernel;

    CpuGemm(Sgemm kernel) { this.kernel = kernel; }

    Sgemm kernel() { return kernel; }

    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
              float alpha, Tensor a, long strideA, Tensor b, long strideB,
              float beta, Tensor c, long strideC) {
        if (batch < 0 || m < 0 || n < 0 || k < 0 || strideA < 0 || strideB < 0 || strideC < 0)
            throw new IllegalArgumentException("gemm: negative size or stride (batch " + batch + ", m " + m + ", n " + n
                    + ", k " + k + ", strides " + strideA + "/" + strideB + "/" + strideC + ")");
        if (strideC == 0 && batch > 1) throw new IllegalArgumentException("gemm: strideC is 0 with batch " + batch);
        if (batch == 0 || m == 0 || n == 0) return;
        checkExtent("A", a, batch, strideA, (long) m * k);
        checkExtent("B", b, batch, strideB, (long) k * n);
        checkExtent("C", c, batch, strideC, (long) m * n);
        float[] as = f32(a), bs = f32(b), cs = f32(c);
        int ao = offset(a), bo = offset(b), co = offset(c);
        for (int i = 0; i < batch; i++) {
            int ci = co + (int) (i * strideC);
            if (k == 0) scale(cs, ci, m * n, beta);       // an empty sum: C = beta * C
            else kernel.sgemm(transA, transB, m, n, k, alpha, as, ao + (int) (i * strideA),
                              bs, bo + (int) (i * strideB), beta, cs, ci);
        }
    }

    private static void scale(float[] c, int from, int count, float beta) {
        for (int i = from; i < from + count; i++) c[i] = beta == 0 ? 0f : beta * c[i];
    }

    private static void checkExtent(String name, Tensor t, int batch, long stride, long matrix) {
        long needed = (batch - 1) * stride + matrix;
        if (needed > t.size())
            throw new IllegalArgumentException("gemm: " + name + " " + t + " has " + t.size()
                    + " elements, the batch needs " + needed);
    }
}
