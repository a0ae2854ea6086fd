package io.recur.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.testing.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Views, lifetimes and autograd marks of Tensor, on the CPU backend; every test must close what it opens. */
class TensorTest {
    private static final Backend CPU = Backends.cpu();
    private final Rand rand = Rand.fresh();
    private long openBefore, storagesBefore;

    @BeforeEach
    void countBefore() {
        openBefore = MemoryTracker.openTensors();
        storagesBefore = CPU.memoryStats().liveStorages();
    }

    @AfterEach
    void nothingLeaked() {
        assertEquals(openBefore, MemoryTracker.openTensors(), "open tensors" + rand.tag());
        assertEquals(storagesBefore, CPU.memoryStats().liveStorages(), "live storages" + rand.tag());
    }

    private float[] randomFloats(int n) { return rand.uniform(-1, 1, n).toFloats(); }

    @Test
    void writingIntoAReshapeViewIsVisibleInTheBase() {
        float[] values = randomFloats(6);
        try (Tensor base = CPU.zeros(Shape.of(2, 3)); Tensor view = base.reshape(-1);
             Tensor src = CPU.fromArray(values, Shape.of(6))) {
            assertSame(base.storage(), view.storage());
            assertEquals(Shape.of(6), view.shape());
            CPU.copy(src, view);
            assertArrayEquals(values, base.toFloatArray(), rand.tag());
        }
    }

    @Test
    void slice0StartsAtTheRowOffsetAndSharesStorage() {
        float[] values = randomFloats(4 * 3);
        try (Tensor base = CPU.fromArray(values, Shape.of(4, 3)); Tensor rows = base.slice0(1, 3);
             Tensor row = rows.slice0(1, 2); Tensor none = base.slice0(4, 4)) {
            assertEquals(3, rows.offset());
            assertEquals(6, row.offset(), "a slice of a slice adds the offsets");
            assertEquals(Shape.of(2, 3), rows.shape());
            assertEquals(Shape.of(0, 3), none.shape());
            assertArrayEquals(java.util.Arrays.copyOfRange(values, 6, 9), row.toFloatArray(), rand.tag());
            CPU.fill(row, 5f);
            assertEquals(5f, base.toFloatArray()[7]);
            assertThrows(IllegalArgumentException.class, () -> base.slice0(2, 5));
            assertThrows(IllegalArgumentException.class, () -> base.slice0(3, 2));
            assertThrows(IllegalArgumentException.class, () -> base.slice0(-1, 1));
        }
        try (Tensor scalar = CPU.zeros(Shape.scalar())) {
            assertThrows(IllegalArgumentException.class, () -> scalar.slice0(0, 1));
        }
    }

    /** The storage is freed at the last release, whichever of base and view closes last. */
    @Test
    void aViewKeepsTheMemoryAliveAfterTheBaseCloses() {
        long live = CPU.memoryStats().liveStorages();
        Tensor base = CPU.full(Shape.of(4, 2), 3f);
        Tensor view = base.slice0(2, 4);
        Tensor shared = base.sharedView();
        assertEquals(live + 1, CPU.memoryStats().liveStorages(), "views share one storage");
        base.close();
        assertTrue(base.isClosed());
        assertEquals(live + 1, CPU.memoryStats().liveStorages(), "the views hold the storage");
        assertArrayEquals(new float[] {3, 3, 3, 3}, view.toFloatArray());
        view.close();
        assertEquals(live + 1, CPU.memoryStats().liveStorages(), "the shared view still holds it");
        shared.close();
        assertEquals(live, CPU.memoryStats().liveStorages(), "freed at the last release");
    }

    @Test
    void useAfterCloseThrowsNamingTheShape() {
        Tensor t = CPU.zeros(Shape.of(2, 5));
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("after close"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.reshape(10));
        assertThrows(IllegalStateException.class, () -> t.slice0(0, 1));
        assertThrows(IllegalStateException.class, t::sharedView);
        assertThrows(IllegalStateException.class, t::backend);
        assertTrue(t.toString().endsWith("(closed)"), t.toString());
    }

    @Test
    void itemReadsTheOnlyElement() {
        float v = (float) rand.uniform(-5, 5);
        try (Tensor one = CPU.full(Shape.of(1, 1), v); Tensor two = CPU.zeros(Shape.of(2))) {
            assertEquals(v, one.item(), rand.tag());
            IllegalStateException e = assertThrows(IllegalStateException.class, two::item);
            assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        }
    }

    @Test
    void onlyFloatTensorsRequireGradients() {
        try (Tensor ints = CPU.fromArray(new int[] {1, 2}, Shape.of(2)); Tensor floats = CPU.zeros(Shape.of(2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ints.requiresGrad(true));
            assertTrue(e.getMessage().contains("I32"), e.getMessage());
            ints.requiresGrad(false);
            assertTrue(floats.requiresGrad(true).requiresGrad());
        }
    }

    @Test
    void setGradChecksTheShapeAndTheTensorOwnsTheGradient() {
        try (Scope scope = Scope.open("grads"); Tensor t = CPU.zeros(Shape.of(2, 3))) {
            Tensor wrong = CPU.zeros(Shape.of(3, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setGrad(wrong));
            assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
            Tensor g = CPU.zeros(Shape.of(2, 3));
            t.setGrad(g);
            assertSame(g, t.grad());
            assertEquals(2, scope.ownedCount(), "t and the wrong-shaped gradient; g left the scope");
            Tensor g2 = CPU.zeros(Shape.of(2, 3));
            t.setGrad(g2);
            assertTrue(g.isClosed(), "a replaced gradient is closed");
            t.zeroGrad();
            assertNull(t.grad());
            assertTrue(g2.isClosed());
        }
    }

    @Test
    void sharedViewIsNotOwnedByTheScope() {
        Tensor shared;
        try (Scope scope = Scope.open("outer")) {
            Tensor t = CPU.zeros(Shape.of(3));
            shared = t.sharedView();
            assertEquals(1, scope.ownedCount());
        }
        assertFalse(shared.isClosed(), "the scope closed only what it owned");
        assertEquals(3, shared.toFloatArray().length);
        shared.close();
    }
}
