package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.GemmReference;

/**
 * The checks every GEMM engine must pass (a backend's gemm, or an engine a backend can switch to):
 * every transpose combination, batches laid out with gaps and inside views at nonzero offsets,
 * stride 0 sharing A or B over the batch, beta = 0 with NaN in C, k = 0, against {@link GemmReference}.
 */
public final class GemmConformance {
    private GemmConformance() {}

    /** Backend.gemm's signature, so that engines other than a backend's own can be checked too. */
    @FunctionalInterface
    public interface Gemm {
        void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Tensor a, long strideA,
                  Tensor b, long strideB, float beta, Tensor c, long strideC);
    }

    /** (batch, m, n, k): ones, odd, k = 1 and 0, several tiles, a size OpenBLAS threads. */
    private static final int[][] SIZES = {{1, 1, 1, 1}, {1, 3, 5, 7}, {3, 17, 1, 9}, {2, 1, 13, 4}, {2, 8, 9, 1},
            {1, 65, 33, 17}, {1, 130, 67, 129}, {3, 130, 70, 129}, {2, 1, 257, 64}, {1, 64, 64, 0}};

    private enum Shared { NONE, A, B }

    public static void checkAll(BackendFixture f, String engine, Gemm gemm) {
        for (int[] s : SIZES)
            for (int trans = 0; trans < 4; trans++)
                for (Shared shared : Shared.values()) {
                    check(f, engine, gemm, (trans & 1) != 0, (trans & 2) != 0, s, shared, 0.75f, 0f);
                    check(f, engine, gemm, (trans & 1) != 0, (trans & 2) != 0, s, shared, -1.5f, 0.5f);
                }
    }

    /** Matrices lie `gap` elements apart (strides larger than a matrix); with beta = 0, C starts as NaN. */
    private static void check(BackendFixture f, String engine, Gemm gemm, boolean ta, boolean tb, int[] size, Shared shared,
                              float alpha, float beta) {
        int batch = size[0], m = size[1], n = size[2], k = size[3], gap = 3;
        long strideA = shared == Shared.A ? 0 : m * k + gap, strideB = shared == Shared.B ? 0 : k * n + gap, strideC = m * n + gap;
        double[] a = f.rand.normal(span(batch, strideA, m * k)).data, b = f.rand.normal(span(batch, strideB, k * n)).data;
        double[] c = beta == 0 ? nan(span(batch, strideC, m * n)) : f.rand.normal(span(batch, strideC, m * n)).data;
        double[] expected = GemmReference.gemm(ta, tb, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC);
        Tensor ct = f.view(c, c.length);
        gemm.gemm(ta, tb, batch, m, n, k, alpha, f.view(a, a.length), strideA, f.view(b, b.length), strideB, beta, ct, strideC);
        // float32 sums of k products of normals: the absolute error grows with k.
        f.assertClose(expected, ct.toFloatArray(), 1e-4, (1e-5 + 1e-4 * Math.sqrt(k + 1)) * Math.abs(alpha),
                engine + " transA=" + ta + " transB=" + tb + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k
                        + " shared=" + shared + " alpha=" + alpha + " beta=" + beta);
    }

    /** One 300x300x300 product: many tiles, and the threaded path of a BLAS. */
    public static void checkLargeSquare(BackendFixture f, String engine, Gemm gemm) {
        int n = 300;
        double[] a = f.rand.normal(n * n).data, b = f.rand.normal(n * n).data;
        double[] expected = GemmReference.gemm(false, false, 1, n, n, n, 1, a, 0, b, 0, 0, new double[n * n], 0);
        Tensor c = f.output(n * n);
        gemm.gemm(false, false, 1, n, n, n, 1f, f.view(a, n * n), 0, f.view(b, n * n), 0, 0f, c, 0);
        f.assertClose(expected, c.toFloatArray(), 1e-4, 1e-3, engine + " 300x300x300");
    }

    private static int span(int batch, long stride, int matrix) { return (int) ((batch - 1) * stride + matrix); }

    private static double[] nan(int n) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, Double.NaN);
        return d;
    }
}
