package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.random.Philox;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InitTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";
    private static final int[][] SHAPES = {{1}, {3}, {4}, {5, 7}, {2, 3, 1001}};

    @ParameterizedTest @MethodSource(BACKENDS)
    void uniformIsThePhiloxStream(Backend backend) {
        Rand rand = Rand.fresh();
        for (int[] shape : SHAPES) {
            long seed = rand.nextLong(), offset = rand.nextInt(1 << 20);
            Shape s = Shape.of(shape);
            float[] expected = new float[s.intSize()];
            Philox.fillUniform(expected, 0, 0, expected.length, seed, offset, -0.5f, 2f);
            try (Scope scope = Scope.open("test")) {
                Tensor t = Init.uniform(backend, s, seed, offset, -0.5f, 2f);
                assertEquals(s, t.shape());
                assertMatches(backend, expected, t.toFloatArray(), 1e-6, "uniform " + s + rand.tag());
            }
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void normalIsThePhiloxStream(Backend backend) {
        Rand rand = Rand.fresh();
        for (int[] shape : SHAPES) {
            long seed = rand.nextLong(), offset = rand.nextInt(1 << 20);
            Shape s = Shape.of(shape);
            float[] expected = new float[s.intSize()];
            Philox.fillNormal(expected, 0, 0, expected.length, seed, offset, 0.25f, 3f);
            try (Scope scope = Scope.open("test")) {
                assertMatches(backend, expected, Init.normal(backend, s, seed, offset, 0.25f, 3f).toFloatArray(), 1e-5, "normal " + s + rand.tag());
            }
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void consecutiveDrawsAdvancedByTheirCountersDoNotOverlap(Backend backend) {
        Rand rand = Rand.fresh();
        long seed = rand.nextLong();
        try (Scope scope = Scope.open("test")) {
            float[] first = Init.uniform(backend, Shape.of(6), seed, 0, 0f, 1f).toFloatArray();
            float[] second = Init.uniform(backend, Shape.of(6), seed, Init.counters(6), 0f, 1f).toFloatArray();
            float[] whole = Init.uniform(backend, Shape.of(14), seed, 0, 0f, 1f).toFloatArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, 8, 14), second, "second draw continues after the first's counters" + rand.tag());
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, 0, 6), first);
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badParametersAreNamed(Backend backend) {
        assertMessage(() -> Init.uniform(backend, Shape.of(2), 1, 0, 1f, 0f), "uniform", "lo <= hi");
        assertMessage(() -> Init.normal(backend, Shape.of(2), 1, 0, 0f, -1f), "normal", "std");
    }

    /** Bit-for-bit on the CPU (the same Java arithmetic as Philox); within tolerance (relative, floor 1) elsewhere. */
    private static void assertMatches(Backend backend, float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (backend.name().equals("cpu"))
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + ": element " + i + " " + actual[i] + " vs " + expected[i]);
            else
                assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), what + ": element " + i + " " + actual[i] + " vs " + expected[i]);
        }
    }
}
