package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The run forms of σ, tanh and expm1 against double on fresh random arguments, in float ulps of
 * the exact value, on runs at an offset inside a larger array (whose other elements must not change).
 */
class FastActivationsTest {
    private interface InPlace { void apply(float[] a, int from, int n, FastExp.Runs runs); }

    @Test
    void sigmoidWithinItsBound() {
        assertWithinUlps(FastActivations::sigmoid, x -> 1 / (1 + Math.exp(-x)), 2.5, -20, 20);
    }

    @Test
    void tanhWithinItsBound() {
        assertWithinUlps(FastActivations::tanh, Math::tanh, 3.5, -20, 20);
    }

    @Test
    void expm1KeepsItsRelativeAccuracyNearZero() {
        InPlace expm1 = (a, from, n, runs) -> {
            FastExp.split(a, from, 1f, n, runs);
            for (int i = 0; i < n; i++) a[from + i] = runs.expm1(i);
        };
        assertWithinUlps(expm1, Math::expm1, 2.5, -80, 80);
        InPlace exp = (a, from, n, runs) -> {
            FastExp.split(a, from, 1f, n, runs);
            for (int i = 0; i < n; i++) a[from + i] = runs.exp(i);
        };
        assertWithinUlps(exp, Math::exp, 1.5, -80, 80);
    }

    @Test
    void saturatesAndKeepsNaN() {
        float[] a = {100f, -1e30f, 0f, Float.NaN};
        FastActivations.tanh(a, 0, a.length, new FastExp.Runs(a.length));
        assertEquals(1f, a[0]);
        assertEquals(-1f, a[1]);
        assertEquals(0f, a[2]);
        assertTrue(Float.isNaN(a[3]));
        float[] s = {200f, -200f, 0f, Float.NaN};
        FastActivations.sigmoid(s, 0, s.length, new FastExp.Runs(s.length));
        assertEquals(1f, s[0]);
        assertTrue(s[1] >= 0 && s[1] < 1e-38);
        assertEquals(0.5f, s[2]);
        assertTrue(Float.isNaN(s[3]));
    }

    /** Half the arguments uniform in [lo, hi], half spread over magnitudes 1e-8 … 1 (where relative accuracy is hard). */
    private static void assertWithinUlps(InPlace fast, DoubleUnaryOperator exact, double ulps, double lo, double hi) {
        SplittableRandom random = new SplittableRandom();
        int n = 1000, offset = 37;
        FastExp.Runs runs = new FastExp.Runs(n);
        double worst = 0;
        float worstAt = 0;
        for (int round = 0; round < 100; round++) {
            float[] a = new float[n + 2 * offset], x = new float[n];
            for (int i = 0; i < a.length; i++) a[i] = i;
            for (int i = 0; i < n; i++)
                x[i] = a[offset + i] = i % 2 == 0 ? (float) random.nextDouble(lo, hi)
                        : (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-8, 0)));
            fast.apply(a, offset, n, runs);
            for (int i = 0; i < n; i++) {
                double want = exact.applyAsDouble(x[i]);
                double error = Math.abs(a[offset + i] - want) / Math.ulp((float) want);
                if (error > worst) { worst = error; worstAt = x[i]; }
            }
            for (int i = 0; i < offset; i++) {
                assertEquals(i, a[i], "before the run");
                assertEquals(offset + n + i, a[offset + n + i], "after the run");
            }
        }
        assertTrue(worst <= ulps, "worst error " + worst + " ulp at x = " + worstAt);
    }
}
