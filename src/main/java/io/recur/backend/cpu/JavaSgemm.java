package io.recur.backend.cpu;

import java.util.List;

/**
 * A pure-Java SGEMM for machines where OpenBLAS cannot load: op(B) is packed into a contiguous k×n
 * block, then each row of C accumulates rows of it (a loop the JIT vectorises), k in cache-sized
 * panels, rows of C split over the cores. Correct and modestly fast; OpenBLAS is ~10x faster.
 */
final class JavaSgemm implements Sgemm {
    /** Rows of packed B per panel: 256 × n floats stay in L2 for n up to ~1k. */
    private static final int K_PANEL = 256;

    private final String reason, cause;

    /** reason: why OpenBLAS is not used, in a few words for the description; cause: the details for status. */
    JavaSgemm(String reason, String cause) { this.reason = reason; this.cause = cause; }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        float[] packed = new float[k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) packed[p * n + j] = transB ? b[offB + j * k + p] : b[offB + p * n + j];
        CpuParallel.forRange(m, (long) n * k, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int row = offC + i * n;
                for (int j = 0; j < n; j++) c[row + j] = beta == 0 ? 0f : beta * c[row + j];
            }
            for (int p0 = 0; p0 < k; p0 += K_PANEL) {
                int p1 = Math.min(k, p0 + K_PANEL);
                for (int i = i0; i < i1; i++) {
                    int row = offC + i * n;
                    for (int p = p0; p < p1; p++) {
                        float aip = alpha * (transA ? a[offA + p * m + i] : a[offA + i * k + p]);
                        int bp = p * n;
                        for (int j = 0; j < n; j++) c[row + j] += aip * packed[bp + j];
                    }
                }
            }
        });
    }

    @Override
    public String description() { return "pure-Java GEMM, " + reason; }

    @Override
    public List<String> details() { return List.of("BLAS: none, pure-Java GEMM (" + reason + ": " + cause + ")"); }
}
