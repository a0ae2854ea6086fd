package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Batched GEMM through OpenBLAS and through the pure-Java fallback, against a float64 triple loop. */
class CpuGemmTest extends CpuTestBase {
    private static final CpuBackend JAVA_GEMM = new CpuBackend(new JavaSgemm("forced by the test", "none"));

    /** (batch, m, n, k): ones, odd sizes, a size that OpenBLAS threads, k = 1. */
    private static final int[][] SIZES = {{1, 1, 1, 1}, {1, 3, 5, 7}, {3, 17, 1, 9}, {2, 1, 13, 4}, {1, 130, 67, 129}, {2, 8, 9, 1}};

    @Test
    void openBlasIsInUse() {
        assertTrue(CPU.description().contains("OpenBLAS"), CPU.description());
    }

    @Test
    void openBlasMatchesReference() { checkAll(CPU); }

    @Test
    void javaFallbackMatchesReference() { checkAll(JAVA_GEMM); }

    private void checkAll(Backend backend) {
        for (int[] s : SIZES)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true})
                    for (int broadcast = 0; broadcast < 3; broadcast++) {     // 0: none, 1: A shared, 2: B shared
                        check(backend, ta, tb, s[0], s[1], s[2], s[3], broadcast, 0.75f, 0f);
                        check(backend, ta, tb, s[0], s[1], s[2], s[3], broadcast, -1.5f, 0.5f);
                    }
    }

    /**
     * Matrices are laid out with gaps between batch items (strides larger than a matrix), inside
     * views at nonzero offsets. With beta = 0, C starts as NaN, which must not leak into the result.
     */
    private void check(Backend backend, boolean ta, boolean tb, int batch, int m, int n, int k,
                       int broadcast, float alpha, float beta) {
        int gap = 3;
        long strideA = broadcast == 1 ? 0 : m * k + gap, strideB = broadcast == 2 ? 0 : k * n + gap, strideC = m * n + gap;
        double[] a = rounded(normal(span(batch, strideA, m * k))), b = rounded(normal(span(batch, strideB, k * n)));
        double[] c = beta == 0 ? nan(span(batch, strideC, m * n)) : rounded(normal(span(batch, strideC, m * n)));
        double[] expected = c.clone();
        for (int bi = 0; bi < batch; bi++) {
            int ao = (int) (bi * strideA), bo = (int) (bi * strideB), co = (int) (bi * strideC);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
                    expected[co + i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[co + i * n + j]);
                }
        }
        Tensor at = view(a, a.length), bt = view(b, b.length), ct = view(c, c.length);
        backend.gemm(ta, tb, batch, m, n, k, alpha, at, strideA, bt, strideB, beta, ct, strideC);
        // float32 sums of k products of normals: the absolute error grows with k.
        assertClose(expected, ct, 1e-5, 1e-5 + 1e-6 * k * Math.abs(alpha), "gemm " + backend.description() + " ta=" + ta + " tb=" + tb
                + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k + " broadcast=" + broadcast + " beta=" + beta);
    }

    private static int span(int batch, long stride, int matrix) { return (int) ((batch - 1) * stride + matrix); }

    @Test
    void emptyInnerDimensionScalesC() {
        for (Backend backend : new Backend[] {CPU, JAVA_GEMM}) {
            Tensor a = output(0), b = output(0);
            Tensor c = view(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            backend.gemm(false, false, 1, 2, 3, 0, 1f, a, 0, b, 0, 2f, c, 6);
            assertClose(new double[] {2, 4, 6, 8, 10, 12}, c, 0, 0, "k = 0, beta = 2");
            Tensor nanC = output(2, 3);
            backend.gemm(false, false, 1, 2, 3, 0, 1f, a, 0, b, 0, 0f, nanC, 6);
            assertClose(new double[6], nanC, 0, 0, "k = 0, beta = 0");
        }
    }

    @Test
    void largeSquareProductMatches() {
        int n = 300;
        double[] a = rounded(normal(n * n)), b = rounded(normal(n * n)), expected = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < n; p++)
                for (int j = 0; j < n; j++) expected[i * n + j] += a[i * n + p] * b[p * n + j];
        for (Backend backend : new Backend[] {CPU, JAVA_GEMM}) {
            Tensor c = output(n, n);
            backend.gemm(false, false, 1, n, n, n, 1f, view(a, n, n), 0, view(b, n, n), 0, 0f, c, 0);
            assertClose(expected, c, 1e-4, 1e-3, "300x300 on " + backend.description());
        }
    }

    @Test
    void outOfBoundsBatchesAreRejected() {
        Tensor a = output(2, 2), b = output(2, 2), c = output(2, 2);
        assertThrows(IllegalArgumentException.class, () -> CPU.gemm(false, false, 2, 2, 2, 2, 1f, a, 4, b, 0, 0f, c, 4));
        assertThrows(IllegalArgumentException.class, () -> CPU.gemm(false, false, 2, 2, 2, 2, 1f, a, 0, b, 0, 0f, c, 0));
        assertThrows(IllegalArgumentException.class, () -> CPU.gemm(false, false, 1, 3, 2, 2, 1f, a, 0, b, 0, 0f, c, 0));
        float[] untouched = c.toFloatArray();
        assertTrue(Arrays.equals(untouched, c.toFloatArray()));
    }
}
