package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** FastExp.expm1, σ and tanh against double on fresh random arguments, in float ulps of the exact value. */
class FastActivationsTest {
    private interface FloatFunction { float apply(float x); }

    @Test
    void expm1KeepsItsRelativeAccuracyNearZero() {
        assertWithinUlps(FastExp::expm1, Math::expm1, 2.5, -80, 80);
    }

    @Test
    void sigmoidWithinItsBound() {
        assertWithinUlps(FastActivations::sigmoid, x -> 1 / (1 + Math.exp(-x)), 2.5, -20, 20);
    }

    @Test
    void tanhWithinItsBound() {
        assertWithinUlps(FastActivations::tanh, Math::tanh, 3.5, -20, 20);
    }

    @Test
    void saturatesAndKeepsNaN() {
        assertEquals(1f, FastActivations.tanh(100f));
        assertEquals(-1f, FastActivations.tanh(-1e30f));
        assertEquals(1f, FastActivations.sigmoid(200f));
        assertTrue(FastActivations.sigmoid(-200f) >= 0 && FastActivations.sigmoid(-200f) < 1e-38);
        assertEquals(0f, FastActivations.tanh(0f));
        assertEquals(0.5f, FastActivations.sigmoid(0f));
        assertTrue(Float.isNaN(FastActivations.tanh(Float.NaN)) && Float.isNaN(FastActivations.sigmoid(Float.NaN)));
    }

    /** Half the arguments uniform in [lo, hi], half spread over magnitudes 1e-8 … 1 (where relative accuracy is hard). */
    private static void assertWithinUlps(FloatFunction fast, DoubleUnaryOperator exact, double ulps, double lo, double hi) {
        SplittableRandom random = new SplittableRandom();
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = i % 2 == 0 ? (float) random.nextDouble(lo, hi)
                    : (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-8, 0)));
            double want = exact.applyAsDouble(x);
            double error = Math.abs(fast.apply(x) - want) / Math.ulp((float) want);
            if (error > worst) { worst = error; worstAt = x; }
        }
        assertTrue(worst <= ulps, "worst error " + worst + " ulp at x = " + worstAt);
    }
}
