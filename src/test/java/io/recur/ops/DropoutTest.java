package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.random.Philox;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DropoutTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    /** Whether element i survives: its Philox uniform of (seed, offset) is at least p. */
    static boolean[] predictedMask(int n, float p, long seed, long offset) {
        float[] u = new float[n];
        Philox.fillUniform(u, 0, 0, n, seed, offset, 0f, 1f);
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) keep[i] = u[i] >= p;
        return keep;
    }

    static D reference(D x, float p, long seed, long offset) {
        boolean[] keep = predictedMask(x.size(), p, seed, offset);
        double[] y = new double[x.size()];
        for (int i = 0; i < y.length; i++) y[i] = keep[i] ? x.data[i] / (1 - (double) p) : 0;
        return x.withData(y);
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void dropsExactlyThePhiloxMaskAndScalesTheRest(Backend backend) {
        Rand rand = Rand.fresh();
        int n = 1 << 18;
        for (float p : new float[] {0.1f, 0.5f, 0.9f}) {
            long seed = rand.nextLong(), offset = rand.nextInt(1000);
            D x = rand.uniform(0.5, 2, n); // never zero, so a zero output means dropped
            try (Scope s = Scope.open("test")) {
                float[] y = Dropout.dropout(x.toTensor(backend), p, seed, offset, true).toFloatArray();
                boolean[] keep = predictedMask(n, p, seed, offset);
                int kept = 0;
                for (int i = 0; i < n; i++) {
                    assertEquals(keep[i], y[i] != 0f, "element " + i + " kept vs Philox at p=" + p + rand.tag());
                    if (keep[i]) {
                        kept++;
                        double expected = x.data[i] / (1 - (double) p);
                        assertEquals(expected, y[i], 1e-6 * expected, "kept element " + i + " scaled by 1/(1-p) at p=" + p + rand.tag());
                    }
                }
                // 4 standard deviations of a binomial(n, 1-p) fraction
                double tolerance = 4 * Math.sqrt(p * (1 - p) / n);
                assertEquals(1 - p, kept / (double) n, tolerance, "kept fraction at p=" + p + rand.tag());
            }
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void gradientUsesTheSameMask(Backend backend) {
        Rand rand = Rand.fresh();
        long seed = rand.nextLong(), offset = 3;
        for (int[] shape : new int[][] {{1}, {7}, {3, 13}}) {
            OpCheck.named("dropout " + java.util.Arrays.toString(shape)).input(rand.uniform(-1, 1, shape))
                    .run(backend, rand, t -> Dropout.dropout(t.get(0), 0.3f, seed, offset, true),
                            d -> reference(d.get(0), 0.3f, seed, offset));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void zeroProbabilityOrEvaluationIsTheIdentity(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(Shape.of(4, 5)).requiresGrad(true);
            assertSame(x, Dropout.dropout(x, 0f, 1, 0, true));
            assertSame(x, Dropout.dropout(x, 0.5f, 1, 0, false));
            assertEquals(0, io.recur.autograd.Tape.size(), "nothing recorded");
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badProbabilityIsNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(Shape.of(3));
            for (float p : new float[] {1f, -0.1f, Float.NaN, 2f})
                assertMessage(() -> Dropout.dropout(x, p, 1, 0, true), "dropout", "p must be in [0, 1)", String.valueOf(p));
            assertMessage(() -> Dropout.dropout(x, 1f, 1, 0, false), "dropout", "p must be in [0, 1)");
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void everyElementIsZeroOrScaled(Backend backend) {
        Rand rand = Rand.fresh();
        try (Scope s = Scope.open("test")) {
            float[] y = Dropout.dropout(backend.full(Shape.of(1001), 1f), 0.25f, rand.nextLong(), 0, true).toFloatArray();
            for (float v : y) assertTrue(v == 0f || Math.abs(v - 1 / 0.75f) < 1e-6, "value " + v + rand.tag());
        }
    }
}
