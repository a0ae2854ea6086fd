package io.recur.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import org.junit.jupiter.api.Test;

class MemoryTrackerTest {
    private static final Backend CPU = Backends.cpu();

    /** Views count as tensors of their own: each is created once and closed once. */
    @Test
    void countsOpenAndCreatedTensorsIncludingViews() {
        long open = MemoryTracker.openTensors(), created = MemoryTracker.createdTensors();
        Tensor a = CPU.zeros(Shape.of(4, 2));
        Tensor view = a.reshape(8);
        assertEquals(open + 2, MemoryTracker.openTensors());
        assertEquals(created + 2, MemoryTracker.createdTensors());
        a.close();
        a.close();   // closing twice counts once
        assertEquals(open + 1, MemoryTracker.openTensors());
        view.close();
        assertEquals(open, MemoryTracker.openTensors());
        assertEquals(created + 2, MemoryTracker.createdTensors(), "created only grows");
    }
}
