package io.recur.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.Loss;
import io.recur.ops.MatMul;
import io.recur.ops.Reduce;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TapeTest {
    private static final float[] X = {-1.5f, 0.25f, 2f};

    @AfterEach
    void dropRecords() { Tape.clear(); }

    /** y = sum(x*x + x): x reaches the loss three times, so dy/dx = 2x + 1 only if all three add up. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void aTensorUsedSeveralTimesAccumulatesItsGradient(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.fromArray(X, Shape.of(3)).requiresGrad(true);
            Tape.backward(Reduce.sum(Arith.add(Arith.mul(x, x), x)));
            assertArrayEquals(new float[] {-2f, 1.5f, 5f}, x.grad().toFloatArray(), 1e-6f);
        }
    }

    /**
     * u is used three times, so its gradient is a sum the tape adds into in place; u's backward then
     * returns that very tensor for both a and b, and a receives more gradient afterwards (from p,
     * recorded before u). Adding a's into it in place would change b's as well: 5 and 3 are right.
     */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void accumulatedGradientsHandedOnAreNotWrittenInto(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor a = backend.fromArray(X, Shape.of(3)).requiresGrad(true), b = backend.fromArray(X, Shape.of(3)).requiresGrad(true);
            Tensor p = Arith.mulScalar(a, 2f);
            Tensor sum = backend.allocate(Shape.of(3), io.recur.tensor.DType.F32);
            backend.binary(io.recur.backend.BinaryOp.ADD, a, b, sum);
            Tensor u = Tape.record("passOn", sum, (ctx, g) -> new Tensor[] {g, g}, new Tensor[] {a, b});
            Tape.backward(Arith.add(Reduce.sum(Arith.add(Arith.add(u, u), u)), Reduce.sum(p)));
            assertArrayEquals(new float[] {5f, 5f, 5f}, a.grad().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {3f, 3f, 3f}, b.grad().toFloatArray(), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void backwardPassesAddIntoGradUntilZeroGrad(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.fromArray(X, Shape.of(3)).requiresGrad(true);
            Tape.backward(Reduce.sum(Arith.mul(x, x)));
            Tape.backward(Reduce.sum(Arith.mul(x, x)));
            assertArrayEquals(new float[] {-6f, 1f, 8f}, x.grad().toFloatArray(), 1e-6f);
            x.zeroGrad();
            assertNull(x.grad());
            Tape.backward(Reduce.sum(Arith.mulScalar(x, 3f)));
            assertArrayEquals(new float[] {3f, 3f, 3f}, x.grad().toFloatArray(), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void noGradRecordsNothing(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.fromArray(X, Shape.of(3)).requiresGrad(true);
            Tensor y;
            try (Tape.NoGrad ng = Tape.noGrad()) {
                y = Activations.tanh(Arith.mul(x, x));
                assertEquals(0, Tape.size());
            }
            assertFalse(y.requiresGrad());
            Tensor z = Arith.mul(x, x);
            assertTrue(z.requiresGrad(), "recording resumes after the no-grad region");
            assertEquals(1, Tape.size());
        }
    }

    /**
     * The forward tensors are closed before backward; the tape's saved views must keep what the
     * backward needs alive and release it afterwards.
     */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void savedTensorsAreReleasedAfterBackward(Backend backend) {
        long tensorsBefore = MemoryTracker.openTensors(), storagesBefore = backend.memoryStats().liveStorages();
        Tensor x = backend.fromArray(new float[] {0.5f, -1f, 2f, 0.1f, 0.3f, -0.7f}, Shape.of(2, 3)).requiresGrad(true);
        Tensor w = backend.fromArray(new float[] {1f, -2f, 0.5f, 0.25f, 3f, -1f}, Shape.of(3, 2)).requiresGrad(true);
        Tensor targets = backend.fromArray(new int[] {1, 0}, Shape.of(2));
        Tensor h = MatMul.matmul(x, w), a = Activations.tanh(h), loss = Loss.crossEntropy(a, targets);
        h.close();
        a.close();
        Tape.backward(loss);
        assertEquals(0, Tape.size());
        assertTrue(x.grad() != null && w.grad() != null);
        for (Tensor t : new Tensor[] {loss, targets, x, w}) t.close();
        assertEquals(tensorsBefore, MemoryTracker.openTensors(), "open tensors");
        assertEquals(storagesBefore, backend.memoryStats().liveStorages(), "live storages");
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void backwardOfANonScalarNeedsAnExplicitGradient(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.fromArray(X, Shape.of(3)).requiresGrad(true);
            Tensor y = Arith.mul(x, x);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tape.backward(y));
            assertTrue(e.getMessage().contains("one-element") && e.getMessage().contains("[3]"), e.getMessage());
            Tape.backward(y, backend.full(Shape.of(3), 1f)); // with the gradient it works
            assertArrayEquals(new float[] {-3f, 0.5f, 4f}, x.grad().toFloatArray(), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void useAfterCloseIsReportedClearly(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.fromArray(X, Shape.of(3)), y = backend.fromArray(X, Shape.of(3));
            x.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Arith.add(x, y));
            assertTrue(e.getMessage().contains("used after close") && e.getMessage().contains("[3]"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Activations.exp(x));
        }
    }
}
