package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.BinaryOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend checks its arguments although the SPI lets backends assume them consistent: wrong
 * dtypes, sizes, batch strides, indices and block ranges are rejected before any element is touched.
 */
class CpuArgumentChecksTest {
    private static final CpuBackend CPU = new CpuBackend();

    private static Tensor ints(int... dims) { return CPU.allocate(Shape.of(dims), DType.I32); }

    @Test
    void wrongDTypesAreRejectedWithTheDTypeNamed() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            Tensor ints = ints(3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CPU.toFloatArray(ints));
            assertTrue(e.getMessage().contains("F32") && e.getMessage().contains("I32"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CPU.fill(ints, 1f));
            assertThrows(IllegalArgumentException.class, () -> CPU.toLongArray(ints));
            assertThrows(IllegalArgumentException.class, () -> CPU.copy(ints, f.output(3)));
            assertThrows(IllegalArgumentException.class, () -> CPU.unary(UnaryOp.EXP, ints, ints));
        }
    }

    @Test
    void sizesThatDoNotMatchAreRejected() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            assertThrows(IllegalArgumentException.class, () -> CPU.fromArray(new float[6], Shape.of(5)));
            assertThrows(IllegalArgumentException.class, () -> CPU.copy(f.output(3), f.output(4)));
            assertThrows(IllegalArgumentException.class, () -> CPU.unary(UnaryOp.EXP, f.output(4), f.output(5)));
            assertThrows(IllegalArgumentException.class, () -> CPU.binary(BinaryOp.ADD, f.output(3, 4), f.output(5), f.output(3, 4)));
        }
    }

    @Test
    void gemmBatchesBeyondTheirTensorsAreRejected() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            Tensor a = f.output(2, 2), b = f.output(2, 2), c = f.output(2, 2);
            assertThrows(IllegalArgumentException.class, () -> CPU.gemm(false, false, 2, 2, 2, 2, 1f, a, 4, b, 0, 0f, c, 4));
            assertThrows(IllegalArgumentException.class, () -> CPU.gemm(false, false, 2, 2, 2, 2, 1f, a, 0, b, 0, 0f, c, 0));
            assertThrows(IllegalArgumentException.class, () -> CPU.gemm(false, false, 1, 3, 2, 2, 1f, a, 0, b, 0, 0f, c, 0));
        }
    }

    /** Where the CUDA kernels skip an index outside [0, n), the CPU backend throws. */
    @Test
    void indicesOutOfRangeAreRejected() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            assertThrows(IllegalArgumentException.class,
                    () -> CPU.embedding(f.output(4, 2), f.intView(new int[] {1, 4}, 2), 2, 2, f.output(2, 2)));
            assertThrows(IllegalArgumentException.class,
                    () -> CPU.embeddingBackward(f.output(2, 2), f.intView(new int[] {-1, 0}, 2), 2, 2, f.output(4, 2)));
            assertThrows(IllegalArgumentException.class,
                    () -> CPU.gather(f.output(1, 3, 1), 1, 3, 1, f.intView(new int[] {3}, 1, 1, 1), 1, f.output(1, 1, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> CPU.scatterAdd(f.output(1, 1, 1), 1, 3, 1, f.intView(new int[] {-1}, 1, 1, 1), 1, f.output(1, 3, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> CPU.gather(f.output(1, 3, 1), 1, 3, 1, f.output(1, 1, 1), 1, f.output(1, 1, 1)));
        }
    }

    @Test
    void copyBlocksOutsideTheAxisAreRejected() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            assertThrows(IllegalArgumentException.class, () -> CPU.copyBlock(f.output(2, 3), 3, 2, f.output(2, 3), 3, 0, 2, 2, 1, false));
        }
    }

    @Test
    void targetsOutOfRangeAndFloatTargetsAreRejected() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            Tensor x = f.view(f.rand.normal(2, 3)), losses = f.output(2);
            assertThrows(IllegalArgumentException.class, () -> CPU.crossEntropy(x, f.intView(new int[] {0, 3}, 2), 2, 3, -1, losses));
            assertThrows(IllegalArgumentException.class, () -> CPU.crossEntropy(x, f.output(2), 2, 3, -1, losses));
        }
    }
}
