package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Backend#mobiusPrefix} and {@link MobiusScan#fromZero} against the plain float64 recursion
 * p_t = (m11 p_{t-1} + m12) / (m21 p_{t-1} + m22) from p_{-1} = 0, on the maps of quasi-ELK's
 * variances: m11 = a², m12 = 1, m21 = λ a², m22 = 1 + λ, λ per channel log-uniform in [1e-6, 1e2].
 */
class MobiusPrefixTest {
    /**
     * The CPU rounds a float64 recursion once; CUDA composes float32 matrices, a few dozen products
     * deep, each good to a few ulps, and every map contracts the error carried into it. A wrong
     * composition order or a lost carry misses by far more than 1e-5 relative.
     */
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void prefixMatchesTheSequentialRecursion(Backend backend) {
        Rand rand = Rand.fresh();
        for (int length : new int[] {1, 2, 7, 100})
            for (int channels : new int[] {1, 3, 33}) check(backend, rand, 3, length, channels, 0, 1.5);
    }

    /**
     * 5000 steps past several block chunks: with |a| ≥ 1.2 the plain products of the matrices
     * overflow float32 (1.44⁵⁰⁰⁰), with |a| ≤ 0.8 they vanish, and with a over all of [-1.5, 1.5]
     * they do either by turns.
     */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void longSequencesNeitherOverflowNorVanish(Backend backend) {
        Rand rand = Rand.fresh();
        check(backend, rand, 2, 5000, 33, 1.2, 1.5);
        check(backend, rand, 2, 5000, 3, 0, 0.8);
        check(backend, rand, 3, 5000, 1, 0, 1.5);
    }

    /** Through MobiusScan: every dimension after time is a channel of its own. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void scanTreatsTrailingDimensionsAsChannels(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, length = 37, channels = 6;
        float[][] m = quasiElkMaps(rand, batch, length, channels, 0, 1.5);
        try (Scope s = Scope.open("test")) {
            Shape shape = Shape.of(batch, length, 2, 3);
            Tensor p = MobiusScan.fromZero(backend.fromArray(m[0], shape), backend.fromArray(m[1], shape),
                    backend.fromArray(m[2], shape), backend.fromArray(m[3], shape));
            assertEquals(shape, p.shape());
            assertClose(sequential(m, batch, length, channels), p.toFloatArray(), "MobiusScan (batch 2, T = 37, 2×3 channels) on "
                    + backend.name() + rand.tag());
        }
    }

    private static void check(Backend backend, Rand rand, int batch, int length, int channels, double minAbsA, double maxAbsA) {
        float[][] m = quasiElkMaps(rand, batch, length, channels, minAbsA, maxAbsA);
        String where = " (batch " + batch + ", T = " + length + ", channels " + channels + ", |a| in [" + minAbsA + ", " + maxAbsA
                + "]) on " + backend.name() + rand.tag();
        try (Scope s = Scope.open("test")) {
            Shape shape = Shape.of(batch, length, channels);
            Tensor out = backend.allocate(shape, DType.F32);
            backend.mobiusPrefix(backend.fromArray(m[0], shape), backend.fromArray(m[1], shape), backend.fromArray(m[2], shape),
                    backend.fromArray(m[3], shape), batch, length, channels, out);
            assertClose(sequential(m, batch, length, channels), out.toFloatArray(), where);
        }
    }

    /** m11, m12, m21, m22 as float32, (batch, T, channels): a with |a| uniform in [minAbsA, maxAbsA] and a random sign. */
    private static float[][] quasiElkMaps(Rand rand, int batch, int length, int channels, double minAbsA, double maxAbsA) {
        int size = batch * length * channels;
        float[][] m = new float[4][size];
        double[] damping = new double[channels];
        for (int k = 0; k < channels; k++) damping[k] = Math.pow(10, rand.uniform(-6, 2));
        for (int i = 0; i < size; i++) {
            double a = rand.uniform(minAbsA, maxAbsA) * (rand.nextInt(2) == 0 ? -1 : 1);
            double lambda = damping[i % channels];
            m[0][i] = (float) (a * a);
            m[1][i] = 1f;
            m[2][i] = (float) (lambda * a * a);
            m[3][i] = (float) (1 + lambda);
        }
        return m;
    }

    private static double[] sequential(float[][] m, int batch, int length, int channels) {
        double[] p = new double[batch * length * channels];
        for (int r = 0; r < batch; r++)
            for (int k = 0; k < channels; k++) {
                double prev = 0;
                for (int t = 0; t < length; t++) {
                    int i = (r * length + t) * channels + k;
                    prev = (m[0][i] * prev + m[1][i]) / (m[2][i] * prev + m[3][i]);
                    p[i] = prev;
                }
            }
        return p;
    }

    private static void assertClose(double[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            assertTrue(error <= TOLERANCE * Math.abs(expected[i]), "element " + i + ": expected " + expected[i] + ", got " + actual[i] + where);
        }
    }
}
