package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;
import io.recur.testing.SpdReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Backend#kalmanGains} (I − K_t and the smoother gains G_t of ELK) against the sequential
 * float64 recursion of {@link KalmanReference}, on contractive and expansive Jacobians; and the
 * associative elements that the CUDA backend scans, checked in float64 against that recursion.
 */
class KalmanGainsTest {
    private static final double[] VARIANCES = {1e-2, 1, 1e2, 1e6};

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void gainsMatchTheSequentialRecursion(Backend backend) {
        Rand rand = Rand.fresh();
        int variance = 0;
        for (int n : new int[] {1, 2, 5, 16})
            for (int length : new int[] {1, 2, 7, 100})
                for (double radius : new double[] {0.9, 1.3})
                    check(backend, rand, 3, length, n, radius, VARIANCES[variance++ % VARIANCES.length]);
    }

    /** Non-normal Jacobians with entries up to 2.5: the n×n solves then need row swaps. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void gainsMatchOnSkewedJacobians(Backend backend) {
        Rand rand = Rand.fresh();
        for (int n : new int[] {2, 5, 16})
            for (double variance : new double[] {1e-2, 1, 1e4}) check(backend, rand, 2, 13, n, -2.5, variance);
    }

    /** A length that is not a power of two, past 2¹⁰, at the extreme variances, with Jacobians up to 2 in spectral radius. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void gainsMatchOverLongSequences(Backend backend) {
        Rand rand = Rand.fresh();
        for (double variance : new double[] {1e-2, 1e6})
            for (double radius : new double[] {0.9, 2}) check(backend, rand, 2, 1500, 2, radius, variance);
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void gainsMatchAtTheLargestState(Backend backend) {
        Rand rand = Rand.fresh();
        check(backend, rand, 2, 5, 32, 1.3, 1);
        check(backend, rand, 1, 3, 32, 0.9, 1e-2);
    }

    /** Every prefix of the elements combined left to right is the filtered covariance P_t. */
    @Test
    void scannedElementsGiveTheFilteredCovariances() {
        Rand rand = Rand.fresh();
        for (int n : new int[] {1, 3, 6})
            for (double variance : VARIANCES)
                for (double radius : new double[] {0.9, 1.5}) {
                    double[][] j = jacobians(rand, 1, 40, n, radius)[0];
                    double[][] filtered = KalmanReference.sequential(j, n, variance)[1];
                    KalmanReference.Element prefix = KalmanReference.element(j[0], true, n, variance);
                    for (int t = 0; t < j.length; t++) {
                        if (t > 0) prefix = KalmanReference.combine(prefix, KalmanReference.element(j[t], false, n, variance), n);
                        String where = "P_" + t + ", n = " + n + ", σ² = " + variance + ", radius " + radius + rand.tag();
                        assertMatrixClose(filtered[t], prefix.c(), 1e-10, where);
                        assertMatrixClose(new double[n * n], prefix.a(), 0, "A of a prefix, " + where);
                        assertMatrixClose(new double[n * n], prefix.info(), 0, "J̄ of a prefix, " + where);
                    }
                }
    }

    /** (e ∘ f) ∘ g = e ∘ (f ∘ g) on random elements (A arbitrary, C and J̄ symmetric positive semi-definite). */
    @Test
    void combineIsAssociative() {
        Rand rand = Rand.fresh();
        for (int n : new int[] {1, 2, 4, 7})
            for (int trial = 0; trial < 20; trial++) {
                KalmanReference.Element e = randomElement(rand, n), f = randomElement(rand, n), g = randomElement(rand, n);
                KalmanReference.Element left = KalmanReference.combine(KalmanReference.combine(e, f, n), g, n);
                KalmanReference.Element right = KalmanReference.combine(e, KalmanReference.combine(f, g, n), n);
                String where = "n = " + n + ", trial " + trial + rand.tag();
                assertMatrixClose(left.a(), right.a(), 1e-9, "A, " + where);
                assertMatrixClose(left.c(), right.c(), 1e-9, "C, " + where);
                assertMatrixClose(left.info(), right.info(), 1e-9, "J̄, " + where);
            }
    }

    /**
     * The op on fresh Jacobians against the float64 recursion. Its outputs are float32 roundings of a
     * float64 computation (errors seen: a few 1e-8 of the largest entry); 1e-6 of the largest entry
     * leaves room for that, while a wrong term in a formula misses by 1e-3 and more.
     */
    private static void check(Backend backend, Rand rand, int batch, int length, int n, double radius, double variance) {
        double[][][] j = jacobians(rand, batch, length, n, radius);
        float[] flat = new float[batch * length * n * n];
        for (int r = 0; r < batch; r++)
            for (int t = 0; t < length; t++)
                for (int i = 0; i < n * n; i++) flat[(r * length + t) * n * n + i] = (float) j[r][t][i];
        String where = " (batch " + batch + ", T = " + length + ", n = " + n + ", σ² = " + variance
                + (radius < 0 ? ", entries in ±" + -radius : ", spectral radius ≤ " + radius) + ") on " + backend.name() + rand.tag();
        try (Scope s = Scope.open("test")) {
            Shape shape = Shape.of(batch, length, n, n);
            Tensor jacobian = backend.fromArray(flat, shape);
            Tensor keep = backend.allocate(shape, DType.F32), gain = backend.allocate(shape, DType.F32);
            backend.kalmanGains(jacobian, batch, length, n, variance, keep, gain);
            float[] gotKeep = keep.toFloatArray(), gotGain = gain.toFloatArray();
            for (int r = 0; r < batch; r++) {
                double[][][] expected = KalmanReference.sequential(j[r], n, variance);
                for (int t = 0; t < length; t++) {
                    int at = (r * length + t) * n * n;
                    assertMatrixClose(expected[0][t], slice(gotKeep, at, n), 1e-6, "I − K at row " + r + ", t = " + t + where);
                    assertMatrixClose(expected[2][t], slice(gotGain, at, n), 1e-6, "G at row " + r + ", t = " + t + where);
                }
            }
        }
    }

    /**
     * Jacobians (batch, T, n×n) rounded to float32: for 0 < radius < 1 contractive ones, radius · Q D
     * (Q random orthogonal, D diagonal in [0.2, 1], so ‖J‖ ≤ radius); for radius ≥ 1 expansive ones,
     * radius · Q (every eigenvalue of modulus radius); for radius < 0 entries uniform in ±|radius|.
     */
    private static double[][][] jacobians(Rand rand, int batch, int length, int n, double radius) {
        double[][][] j = new double[batch][length][];
        for (int r = 0; r < batch; r++)
            for (int t = 0; t < length; t++) {
                if (radius < 0) {
                    double[] m = rand.uniform(radius, -radius, n * n).data;
                    for (int i = 0; i < m.length; i++) m[i] = (float) m[i];
                    j[r][t] = m;
                    continue;
                }
                double[] q = SpdReference.orthogonal(rand, n);
                for (int k = 0; k < n; k++) {
                    double scale = radius >= 1 ? radius : radius * rand.uniform(0.2, 1);
                    for (int i = 0; i < n; i++) q[i * n + k] = (float) (q[i * n + k] * scale);
                }
                j[r][t] = q;
            }
        return j;
    }

    private static KalmanReference.Element randomElement(Rand rand, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) a[i] = rand.uniform(-1.5, 1.5);
        return new KalmanReference.Element(a, randomGram(rand, n), randomGram(rand, n));
    }

    /** B Bᵀ for a random B: symmetric positive semi-definite. */
    private static double[] randomGram(Rand rand, int n) {
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) b[i] = rand.uniform(-1, 1);
        return KalmanReference.times(b, KalmanReference.transposed(b, n), n);
    }

    private static double[] slice(float[] data, int offset, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) m[i] = data[offset + i];
        return m;
    }

    /** Entrywise |expected − actual| ≤ tolerance · max(1, max |expected|). */
    private static void assertMatrixClose(double[] expected, double[] actual, double tolerance, String where) {
        assertEquals(expected.length, actual.length, where);
        double scale = 1;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            assertTrue(error <= tolerance * scale, "entry " + i + ": expected " + expected[i] + ", got " + actual[i] + ", " + where);
        }
    }
}
