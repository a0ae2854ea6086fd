package io.recur.backend.cuda;

import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Both GEMM engines (cuBLAS when present, and the own SGEMM kernel) against a double-precision loop. */
class CudaGemmTest extends CudaTestBase {
    private static final int[][] SIZES = {{1, 1, 1, 1}, {1, 65, 33, 17}, {3, 130, 70, 129}, {2, 1, 257, 64}, {1, 64, 64, 0}};  // batch, m, n, k

    private interface Gemm {
        void run(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha, Tensor a, long sa, Tensor b, long sb,
                 float beta, Tensor c, long sc);
    }

    private void check(String engine, Gemm gemm) {
        for (int[] s : SIZES)
            for (int flags = 0; flags < 4; flags++)
                for (boolean shareB : new boolean[] {false, true}) {
                    boolean ta = (flags & 1) != 0, tb = (flags & 2) != 0;
                    int batch = s[0], m = s[1], n = s[2], k = s[3];
                    long sa = (long) m * k, sb = shareB ? 0 : (long) k * n, sc = (long) m * n;
                    float[] a = uniform((int) (batch * sa), -1, 1), b = uniform((int) Math.max(k * n, batch * sb), -1, 1);
                    float[] c0 = uniform((int) (batch * sc), -1, 1);
                    for (float beta : new float[] {0f, 0.5f}) {
                        float alpha = 1.25f;
                        double[] expected = new double[c0.length];
                        for (int z = 0; z < batch; z++)
                            for (int i = 0; i < m; i++)
                                for (int j = 0; j < n; j++) {
                                    double acc = 0;
                                    for (int p = 0; p < k; p++) {
                                        double av = ta ? a[(int) (z * sa) + p * m + i] : a[(int) (z * sa) + i * k + p];
                                        double bv = tb ? b[(int) (z * sb) + j * k + p] : b[(int) (z * sb) + p * n + j];
                                        acc += av * bv;
                                    }
                                    int at = (int) (z * sc) + i * n + j;
                                    expected[at] = alpha * acc + (beta == 0 ? 0 : beta * c0[at]);
                                }
                        Tensor tc = beta == 0 ? poisoned(c0.length) : upload(c0, c0.length);  // beta 0: C must not be read
                        gemm.run(ta, tb, batch, m, n, k, alpha, upload(a, a.length), sa, upload(b, b.length), sb, beta, tc, sc);
                        assertClose(expected, tc.toFloatArray(), 1e-4, 1e-4 * Math.sqrt(k + 1),
                                engine + " batch " + batch + " m " + m + " n " + n + " k " + k + " transA " + ta + " transB " + tb
                                        + " beta " + beta + (shareB ? " B shared" : ""));
                    }
                }
    }

    @Test
    void backendGemm() { check(cuda.gemmName(), cuda::gemm); }

    @Test
    void ownSgemmKernel() {
        check("own SGEMM", (ta, tb, batch, m, n, k, alpha, a, sa, b, sb, beta, c, sc) ->
                cuda.ownGemm().gemm(ta, tb, batch, m, n, k, alpha, address(a), sa, address(b), sb, beta, address(c), sc));
    }

    private static long address(Tensor t) { return ((CudaStorage) t.storage()).address() + t.offset() * 4; }
}
