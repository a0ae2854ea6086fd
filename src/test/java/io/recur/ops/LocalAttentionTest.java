package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.LocalAttentionReference;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Local multi-query attention against the float64 masked-softmax definition, on every backend: on
 * cuda-sim this runs the kernels of kernels/local_attention.cu (forward, dq pass, dk/dv pass).
 */
class LocalAttentionTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    /** Forward and all three gradients at the sizes that cross the kernels' 64-row and 16-row tiles. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void matchesTheReferenceAtEveryLengthAndWindow(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, heads = 3, dim = 8;
        for (int length : new int[] {1, 7, 64, 300})
            for (int window : new int[] {1, 4, 64, length + 5}) {
                D q = rand.normal(batch, length, heads, dim), k = rand.normal(batch, length, dim), v = rand.normal(batch, length, dim);
                D dOut = rand.normal(batch, length, heads, dim);
                String where = "T=" + length + " window=" + window + " on " + backend.name() + rand.tag();
                long open = MemoryTracker.openTensors();
                try (Scope s = Scope.open("test")) {
                    Tensor tq = q.toTensor(backend).requiresGrad(true), tk = k.toTensor(backend).requiresGrad(true);
                    Tensor tv = v.toTensor(backend).requiresGrad(true);
                    Tensor out = LocalAttention.attention(tq, tk, tv, window);
                    assertClose(LocalAttentionReference.forward(q, k, v, window), out, "out " + where);
                    Tape.backward(Reduce.sum(Arith.mul(out, dOut.toTensor(backend))));
                    D[] expected = LocalAttentionReference.backward(q, k, v, window, dOut);
                    assertClose(expected[0], tq.grad(), "dq " + where);
                    assertClose(expected[1], tk.grad(), "dk " + where);
                    assertClose(expected[2], tv.grad(), "dv " + where);
                }
                assertEquals(open, MemoryTracker.openTensors(), "leak " + where);
            }
    }

    /** The reference's own gradient is checked too: central differences through OpCheck, small sizes. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void gradientsByFiniteDifferences(Backend backend) {
        Rand rand = Rand.fresh();
        for (int window : new int[] {1, 3, 20})
            OpCheck.named("localAttention window=" + window)
                    .input(rand.normal(2, 7, 2, 4)).input(rand.normal(2, 7, 4)).input(rand.normal(2, 7, 4))
                    .run(backend, rand, t -> LocalAttention.attention(t.get(0), t.get(1), t.get(2), window),
                            d -> LocalAttentionReference.forward(d.get(0), d.get(1), d.get(2), window));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badShapesAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor q = backend.zeros(io.recur.tensor.Shape.of(2, 5, 3, 4)), k = backend.zeros(io.recur.tensor.Shape.of(2, 5, 4));
            Tensor wrong = backend.zeros(io.recur.tensor.Shape.of(2, 4, 4));
            assertMessage(() -> LocalAttention.attention(q, wrong, k, 2), "k must be (batch, T, head_dim) = [2, 5, 4]", "[2, 4, 4]");
            assertMessage(() -> LocalAttention.attention(q, k, wrong, 2), "v must be (batch, T, head_dim)");
            assertMessage(() -> LocalAttention.attention(k, k, k, 2), "q must be (batch, T, heads, head_dim)");
            assertMessage(() -> LocalAttention.attention(q, k, k, 0), "window must be >= 1, got 0");
        }
    }

    private static void assertClose(D expected, Tensor actual, String what) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.size(), a.length, what);
        for (int i = 0; i < a.length; i++) {
            double e = expected.data[i];
            if (Math.abs(e - a[i]) > 2e-4 + 2e-4 * Math.abs(e))
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e);
        }
    }
}
