package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.testing.Rand;
import io.recur.testing.SpdReference;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The float64 cores of the CPU backend's inverse roots and eigendecomposition against matrices
 * with a known spectrum (condition numbers 1e1 … 1e8) and closed forms. The error of each method
 * is printed, so the test output is the accuracy table.
 */
class InverseRootsTest {
    private static final int[] POWERS = {2, 4, 8};
    private static final double[] CONDITIONS = {1e1, 1e2, 1e4, 1e6, 1e8};
    /** Relative Frobenius error allowed at condition number 1e8 (float64; Newton stops at max|M − I| ≤ 1e-6). */
    private static final double NEWTON_LIMIT = 1e-5, EIGEN_LIMIT = 1e-8;

    private final Rand rand = Rand.fresh();

    /**
     * The matrix composed from Q and λ in float64 carries rounding of about ε‖A‖, which an inverse
     * root amplifies by about the condition number: at cond 1e8 an exact method is off the root of
     * the unrounded matrix by ~1e-8 (seed 25068551211298 gave 1.9e-8), so the limit grows with it.
     */
    private static double eigenLimit(double cond) { return Math.max(EIGEN_LIMIT, 1e-15 * cond); }

    /** Absolute accuracy on roots of order 1: Newton stops at max|M − I| ≤ 1e-6, Jacobi at rounding. */
    private static double closeness(RootMethod method) { return method == RootMethod.EIGEN ? 1e-12 : 1e-6; }

    private static double[] root(RootMethod method, double[] a, int n, int p, double epsilon, boolean relative, double[] residual) {
        double[] x = new double[n * n];
        RootSettings s = RootSettings.of(method, p, epsilon, relative);
        residual[0] = method == RootMethod.EIGEN ? EigenRoot.inverseRoot(a, n, s, x) : CoupledNewtonRoot.inverseRoot(a, n, s, x);
        return x;
    }

    @Test
    void bothMethodsMatchTheKnownRootOverConditionNumbers() {
        int n = 20;
        System.out.println("inverse p-th roots, n = " + n + ", relative Frobenius error vs Q diag(λ^{-1/p}) Qᵀ" + rand.tag());
        System.out.println("  cond     p   coupled Newton  (residual)    eigen (Jacobi)  (residual)");
        for (double cond : CONDITIONS)
            for (int p : POWERS) {
                double[] q = SpdReference.orthogonal(rand, n), lambda = SpdReference.spectrum(rand, n, cond, rand.uniform(0.1, 100));
                double[] a = SpdReference.compose(q, lambda, n), expected = SpdReference.inverseRoot(q, lambda, n, 0, p);
                double[] newtonResidual = new double[1], eigenResidual = new double[1];
                double newton = SpdReference.relativeError(expected, root(RootMethod.COUPLED_NEWTON, a, n, p, 0, false, newtonResidual));
                double eigen = SpdReference.relativeError(expected, root(RootMethod.EIGEN, a, n, p, 0, false, eigenResidual));
                System.out.printf(Locale.ROOT, "  %.0e  %d   %.2e       (%.1e)     %.2e        (%.1e)%n", cond, p, newton, newtonResidual[0], eigen, eigenResidual[0]);
                String where = "cond " + cond + ", p " + p + rand.tag();
                assertTrue(newton <= NEWTON_LIMIT, "Newton error " + newton + " at " + where);
                assertTrue(eigen <= eigenLimit(cond), "eigen error " + eigen + " at " + where);
                assertTrue(newtonResidual[0] <= 1e-6, "Newton residual " + newtonResidual[0] + " at " + where);
                assertTrue(eigenResidual[0] <= 1e-13, "Jacobi residual " + eigenResidual[0] + " at " + where);
            }
    }

    @Test
    void diagonalMatricesGiveTheirElementwiseRoots() {
        int n = 7;
        double[] a = new double[n * n], expected = new double[n * n];
        for (int p : POWERS)
            for (RootMethod method : RootMethod.values()) {
                for (int i = 0; i < n; i++) {
                    double d = rand.uniform(0.01, 50);
                    a[i * n + i] = d;
                    expected[i * n + i] = Math.pow(d, -1.0 / p);
                }
                double[] x = root(method, a, n, p, 0, false, new double[1]);
                assertArrayEquals(expected, x, closeness(method) * Math.pow(0.01, -1.0 / p), method + " p=" + p + rand.tag());
            }
    }

    /** For a 2×2 symmetric A with eigenvalues λ1 ≠ λ2, f(A) = f(λ1)·I + (f(λ1) − f(λ2))/(λ1 − λ2)·(A − λ1 I). */
    @Test
    void twoByTwoMatchesTheClosedForm() {
        for (int p : POWERS)
            for (RootMethod method : RootMethod.values()) {
                double a = rand.uniform(1, 5), c = rand.uniform(1, 5), b = rand.uniform(-0.9, 0.9) * Math.sqrt(a * c);
                double mean = (a + c) / 2, half = Math.sqrt((a - c) * (a - c) / 4 + b * b);
                double l1 = mean + half, l2 = mean - half;
                double f1 = Math.pow(l1, -1.0 / p), f2 = Math.pow(l2, -1.0 / p), slope = (f1 - f2) / (l1 - l2);
                double[] expected = {f1 + slope * (a - l1), slope * b, slope * b, f1 + slope * (c - l1)};
                double[] x = root(method, new double[] {a, b, b, c}, 2, p, 0, false, new double[1]);
                assertArrayEquals(expected, x, closeness(method), method + " p=" + p + rand.tag());
            }
    }

    @Test
    void oneByOneIsTheScalarRoot() {
        for (RootMethod method : RootMethod.values()) {
            double v = rand.uniform(0.001, 1000);
            assertEquals(Math.pow(v + 0.5, -0.25), root(method, new double[] {v}, 1, 4, 0.5, false, new double[1])[0], 1e-9 * Math.pow(v, -0.25), method.name());
        }
    }

    @Test
    void ridgeIsAbsoluteOrRelativeToTheLargestEigenvalue() {
        int n = 12, p = 4;
        double[] q = SpdReference.orthogonal(rand, n), lambda = SpdReference.spectrum(rand, n, 1e3, 7);
        double[] a = SpdReference.compose(q, lambda, n);
        for (RootMethod method : RootMethod.values()) {
            double[] absolute = root(method, a, n, p, 0.3, false, new double[1]);
            assertTrue(SpdReference.relativeError(SpdReference.inverseRoot(q, lambda, n, 0.3, p), absolute) < 1e-6, method + " absolute" + rand.tag());
            // λ_max = 7: the relative ridge 0.01·7 (Newton estimates λ_max by power iteration, to 1e-6)
            double[] relative = root(method, a, n, p, 0.01, true, new double[1]);
            assertTrue(SpdReference.relativeError(SpdReference.inverseRoot(q, lambda, n, 0.07, p), relative) < 1e-6, method + " relative" + rand.tag());
        }
    }

    @Test
    void singularOrBrokenInputsReportNaN() {
        for (RootMethod method : RootMethod.values()) {
            double[] residual = new double[1];
            root(method, new double[4], 2, 2, 0, false, residual);
            assertTrue(Double.isNaN(residual[0]), method + ": the zero matrix without a ridge has no inverse root");
            root(method, new double[] {1, Double.NaN, Double.NaN, 1}, 2, 2, 1e-6, false, residual);
            assertTrue(Double.isNaN(residual[0]), method + ": NaN input");
        }
        // A semi-definite matrix with a ridge is fine: the eigen method clamps the tiny negative eigenvalue rounding leaves.
        double[] residual = new double[1];
        double[] x = root(RootMethod.EIGEN, new double[] {1, 1, 1, 1}, 2, 2, 1e-4, false, residual);
        assertTrue(residual[0] < 1e-12 && Double.isFinite(x[0]), "eigen, rank-1 with a ridge");
    }

    @Test
    void jacobiReconstructsWithOrthonormalVectorsAndSortedValues() {
        for (int n : new int[] {1, 2, 5, 33}) {
            double[] q = SpdReference.orthogonal(rand, n), lambda = SpdReference.spectrum(rand, n, 1e6, 3);
            double[] a = SpdReference.compose(q, lambda, n);
            double[] values = new double[n], v = new double[n * n];
            double residual = JacobiEigen.decompose(a, n, values, v);
            double[] sorted = lambda.clone();
            java.util.Arrays.sort(sorted);
            assertArrayEquals(sorted, values, 1e-13 * 3, "eigenvalues n=" + n + rand.tag());
            assertTrue(residual <= JacobiEigen.TOLERANCE, "residual " + residual);
            double[] rebuilt = SpdReference.compose(v, values, n);
            assertTrue(SpdReference.relativeError(a, rebuilt) < 1e-13, "V diag(λ) Vᵀ = A, n=" + n + rand.tag());
            double[] gram = SpdReference.compose(transpose(v, n), ones(n), n);   // Vᵀ V
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) assertEquals(i == j ? 1 : 0, gram[i * n + j], 1e-13, "VᵀV at " + i + "," + j);
        }
    }

    private static double[] transpose(double[] m, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
        return t;
    }

    private static double[] ones(int n) {
        double[] o = new double[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }
}
