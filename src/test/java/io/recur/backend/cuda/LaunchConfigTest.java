package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchConfigTest {
    @Test
    void elementwiseCoversTheItemsAndCapsTheGrid() {
        assertTrue(LaunchConfig.elementwise(0).isEmpty());
        assertEquals(1, LaunchConfig.elementwise(1).gridX());
        assertEquals(2, LaunchConfig.elementwise(257).gridX());
        assertEquals(LaunchConfig.MAX_BLOCKS, LaunchConfig.elementwise(1L << 40).gridX(), "grid-stride loops cover the rest");
    }

    @Test
    void rowBlocksAreWholeWarpsSizedToTheRow() {
        assertEquals(32, LaunchConfig.rows(5, 1).blockX());
        assertEquals(64, LaunchConfig.rows(5, 33).blockX());
        assertEquals(512, LaunchConfig.rows(5, 100_000).blockX());
        assertEquals(5, LaunchConfig.rows(5, 7).gridX());
        for (int cols = 1; cols < 2000; cols += 37) assertEquals(0, LaunchConfig.rows(1, cols).blockX() % 32);
    }

    @Test
    void invalidGeometryIsRejectedWithTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchConfig.of(1, 0, 1, 32, 1, 1));
        assertTrue(e.getMessage().contains("grid (1, 0, 1)"), e.getMessage());
    }
}
