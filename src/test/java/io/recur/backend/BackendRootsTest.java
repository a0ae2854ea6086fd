package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.SpdReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batched inverse roots and eigendecompositions on every backend, on float32 views into NaN-padded
 * storage, against the float64 functions of matrices with a known spectrum: several blocks per call,
 * sizes 1, 2, 7, 16 and 40, condition numbers up to 1e3 (float32 storage of A perturbs its smallest
 * eigenvalues by about 1e-7·λ_max, which bounds the attainable accuracy).
 */
class BackendRootsTest {
    /** 40 is above the 32 that fits in shared memory: the workspace and tiled-product path. */
    private static final int[] SIZES = {1, 2, 7, 16, 40};
    private static final int BATCH = 3;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void inverseRootsOfABatchMatchTheKnownRoots(Backend backend) {
        for (int n : SIZES)
            for (RootMethod method : RootMethod.values())
                for (int p : new int[] {2, 4}) check(backend, n, method, p);
    }

    private static void check(Backend backend, int n, RootMethod method, int p) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            double ridge = 1e-3;
            double[] a = new double[BATCH * n * n], expected = new double[BATCH * n * n];
            for (int b = 0; b < BATCH; b++) {
                double[] q = SpdReference.orthogonal(f.rand, n), lambda = SpdReference.spectrum(f.rand, n, 1e3, f.rand.uniform(0.5, 20));
                System.arraycopy(SpdReference.compose(q, lambda, n), 0, a, b * n * n, n * n);
                System.arraycopy(SpdReference.inverseRoot(q, lambda, n, ridge, p), 0, expected, b * n * n, n * n);
            }
            Tensor roots = f.output(BATCH, n, n), residuals = f.output(BATCH);
            backend.inverseRoots(f.view(a, BATCH, n, n), BATCH, n, RootSettings.of(method, p, ridge, false), roots, residuals);
            String what = method + " n=" + n + " p=" + p;
            f.assertCloseScaled(expected, roots.toFloatArray(), 2e-4, what);
            for (float r : residuals.toFloatArray()) assertTrue(r >= 0 && r <= 1e-5, f.where(what + ": residual " + r));
        }
    }

    /**
     * The accuracy table of every backend (printed): relative Frobenius error of both methods on
     * float32 inputs with condition numbers 1e1 … 1e4, no ridge. Storing A in float32 moves its
     * eigenvalues by about 6e-8·λ_max, so the attainable error grows like cond·1e-7/p; the bound
     * checked is 5e-6·cond + 1e-5.
     */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void errorGrowsNoFasterThanTheConditionNumberAllows(Backend backend) {
        int n = 16, p = 4;
        StringBuilder table = new StringBuilder("inverse 4th roots on " + backend.name() + ", n = 16, relative error: cond, Newton, eigen\n");
        for (double cond : new double[] {1e1, 1e2, 1e3, 1e4})
            try (BackendFixture f = BackendFixture.on(backend)) {
                double[] q = SpdReference.orthogonal(f.rand, n), lambda = SpdReference.spectrum(f.rand, n, cond, 1);
                double[] a = SpdReference.compose(q, lambda, n), expected = SpdReference.inverseRoot(q, lambda, n, 0, p);
                table.append(String.format(java.util.Locale.ROOT, "  %.0e", cond));
                for (RootMethod method : RootMethod.values()) {
                    Tensor roots = f.output(1, n, n), residuals = f.output(1);
                    backend.inverseRoots(f.view(a, 1, n, n), 1, n, RootSettings.of(method, p, 0, false), roots, residuals);
                    float[] got = roots.toFloatArray();
                    double[] actual = new double[got.length];
                    for (int i = 0; i < got.length; i++) actual[i] = got[i];
                    double error = SpdReference.relativeError(expected, actual);
                    table.append(String.format(java.util.Locale.ROOT, "  %.2e", error));
                    assertTrue(error <= 5e-6 * cond + 1e-5, f.where(method + " at condition " + cond + ": error " + error));
                }
                table.append('\n');
            }
        System.out.print(table);
    }

    /** A ridge of ε·λ_max (λ_max by power iteration for Newton, from the eigenvalues for the eigen method). */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void aRelativeRidgeScalesWithTheLargestEigenvalue(Backend backend) {
        int n = 9, p = 4;
        for (RootMethod method : RootMethod.values())
            try (BackendFixture f = BackendFixture.on(backend)) {
                double largest = f.rand.uniform(1, 10);
                double[] q = SpdReference.orthogonal(f.rand, n), lambda = SpdReference.spectrum(f.rand, n, 1e6, largest);
                double[] expected = SpdReference.inverseRoot(q, lambda, n, 0.01 * largest, p);
                Tensor roots = f.output(1, n, n), residuals = f.output(1);
                backend.inverseRoots(f.view(SpdReference.compose(q, lambda, n), 1, n, n), 1, n, RootSettings.of(method, p, 0.01, true), roots, residuals);
                f.assertCloseScaled(expected, roots.toFloatArray(), 2e-4, method + " relative ridge");
            }
    }

    /**
     * Shampoo's usual factor early in training: rank-deficient (a few outer products), made
     * invertible by the relative ridge alone. Both methods against the exact root.
     */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void rankDeficientFactorsWithARelativeRidge(Backend backend) {
        int n = 24, rank = 4, p = 4;
        for (RootMethod method : RootMethod.values())
            try (BackendFixture f = BackendFixture.on(backend)) {
                double[] q = SpdReference.orthogonal(f.rand, n), lambda = new double[n];
                double[] top = SpdReference.spectrum(f.rand, rank, 10, f.rand.uniform(1, 5));
                System.arraycopy(top, 0, lambda, 0, rank);
                double largest = java.util.Arrays.stream(top).max().orElseThrow();
                double[] expected = SpdReference.inverseRoot(q, lambda, n, 1e-4 * largest, p);
                Tensor roots = f.output(1, n, n), residuals = f.output(1);
                backend.inverseRoots(f.view(SpdReference.compose(q, lambda, n), 1, n, n), 1, n, RootSettings.of(method, p, 1e-4, true), roots, residuals);
                f.assertCloseScaled(expected, roots.toFloatArray(), 1e-3, method + " rank " + rank + " of " + n);
                float r = residuals.toFloatArray()[0];
                assertTrue(r >= 0 && r <= 1e-4, f.where(method + ": residual " + r));
            }
    }

    /** No root exists for a zero matrix without a ridge or for NaN input: the residual says so with NaN. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void singularAndNaNInputsHaveNaNResiduals(Backend backend) {
        int n = 3;
        for (RootMethod method : RootMethod.values())
            try (BackendFixture f = BackendFixture.on(backend)) {
                double[] zero = new double[n * n], nan = SpdReference.compose(SpdReference.orthogonal(f.rand, n), new double[] {1, 2, 3}, n);
                nan[4] = Double.NaN;
                double[] both = new double[2 * n * n];
                System.arraycopy(nan, 0, both, n * n, n * n);
                Tensor roots = f.output(2, n, n), residuals = f.output(2);
                backend.inverseRoots(f.view(both, 2, n, n), 2, n, RootSettings.of(method, 2, 0, false), roots, residuals);
                float[] r = residuals.toFloatArray();
                assertTrue(Float.isNaN(r[0]) && Float.isNaN(r[1]), f.where(method + ": residuals " + r[0] + ", " + r[1]));
            }
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void eigendecompositionsRebuildTheMatricesWithTheKnownSpectrum(Backend backend) {
        for (int n : SIZES)
            try (BackendFixture f = BackendFixture.on(backend)) {
                double[] a = new double[BATCH * n * n], sorted = new double[BATCH * n];
                for (int b = 0; b < BATCH; b++) {
                    double[] q = SpdReference.orthogonal(f.rand, n), lambda = SpdReference.spectrum(f.rand, n, 1e3, f.rand.uniform(0.5, 20));
                    System.arraycopy(SpdReference.compose(q, lambda, n), 0, a, b * n * n, n * n);
                    java.util.Arrays.sort(lambda);
                    System.arraycopy(lambda, 0, sorted, b * n, n);
                }
                Tensor values = f.output(BATCH, n), vectors = f.output(BATCH, n, n);
                backend.symmetricEigen(f.view(a, BATCH, n, n), BATCH, n, values, vectors);
                f.assertCloseScaled(sorted, values.toFloatArray(), 1e-5, "eigenvalues n=" + n);
                float[] v = vectors.toFloatArray(), l = values.toFloatArray();
                double[] rebuilt = new double[a.length], gram = new double[a.length], identity = new double[a.length];
                for (int b = 0; b < BATCH; b++)
                    for (int i = 0; i < n; i++) {
                        identity[(b * n + i) * n + i] = 1;
                        for (int k = 0; k < n; k++) {
                            double s = 0, g = 0;
                            for (int j = 0; j < n; j++) {
                                s += (double) v[(b * n + i) * n + j] * l[b * n + j] * v[(b * n + k) * n + j];
                                g += (double) v[(b * n + j) * n + i] * v[(b * n + j) * n + k];
                            }
                            rebuilt[(b * n + i) * n + k] = s;
                            gram[(b * n + i) * n + k] = g;
                        }
                    }
                f.assertCloseScaled(a, toFloats(rebuilt), 1e-5, "V diag(λ) Vᵀ n=" + n);
                f.assertClose(identity, toFloats(gram), 0, 1e-5, "VᵀV n=" + n);
            }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
