package io.recur.testing;

/**
 * Float64 batched GEMM on flat row-major arrays, as Backend.gemm defines it: for each batch item i,
 * C_i = alpha * op(A_i) * op(B_i) + beta * C_i with matrix i starting stride * i elements in. With
 * beta = 0, C is not read. Elements of c outside the matrices are left as they are.
 */
public final class GemmReference {
    private GemmReference() {}

    public static double[] gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
                                double[] a, long strideA, double[] b, long strideB, double beta, double[] c, long strideC) {
        double[] out = c.clone();
        for (int z = 0; z < batch; z++) {
            int ao = (int) (z * strideA), bo = (int) (z * strideB), co = (int) (z * strideC);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += a[ao + (transA ? p * m + i : i * k + p)] * b[bo + (transB ? j * k + p : p * n + j)];
                    int at = co + i * n + j;
                    out[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
                }
        }
        return out;
    }
}
