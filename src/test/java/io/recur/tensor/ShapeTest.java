package io.recur.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void scalarHasRankZeroSizeOneAndLastOne() {
        Shape s = Shape.scalar();
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals(1, s.last());
        assertEquals(Shape.of(), s);
        assertEquals("[]", s.toString());
    }

    @Test
    void sizeIsTheProductAndZeroDimensionsAreAllowed() {
        assertEquals(60, Shape.of(3, 4, 5).size());
        assertEquals(0, Shape.of(3, 0, 5).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Shape.of(1 << 16, 1 << 16).intSize());
    }

    @Test
    void dimsAreCopiedInAndOut() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 9;
        s.dims()[1] = 9;
        assertEquals(Shape.of(2, 3), s);
        assertEquals(Shape.of(2, 3).hashCode(), s.hashCode());
        assertNotEquals(Shape.of(3, 2), s);
    }

    @Test
    void negativeAxesCountFromTheEndAndOutOfRangeAxesNameTheShape() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(2, s.axis(-1));
        assertEquals(0, s.axis(-3));
        assertEquals(4, s.dim(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.axis(3));
        assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.axis(-4));
        assertThrows(IllegalArgumentException.class, () -> Shape.scalar().axis(0));
    }

    @Test
    void outerAndInnerAreProductsBeforeAndAfterTheAxis() {
        Shape s = Shape.of(2, 3, 4, 5);
        assertEquals(1, s.outer(0));
        assertEquals(6, s.outer(2));
        assertEquals(20, s.inner(1));
        assertEquals(1, s.inner(-1));
        assertEquals(24, s.outer(-1));
        assertEquals(Shape.of(2, 7, 4, 5), s.with(-3, 7));
    }

    @Test
    void broadcastAlignsAtTheRightAndRepeatsOnes() {
        assertEquals(Shape.of(3, 4, 5), Shape.broadcast(Shape.of(3, 1, 5), Shape.of(4, 1)));
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.scalar(), Shape.of(2, 3)));
        assertEquals(Shape.of(6, 7), Shape.broadcast(Shape.of(6, 7), Shape.of(6, 7)));
        assertEquals(Shape.of(0, 4), Shape.broadcast(Shape.of(0, 1), Shape.of(4)));
    }

    @Test
    void broadcastFailureNamesBothShapesAndTheDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast(Shape.of(2, 3), Shape.of(4)));
        assertEquals("shapes [2, 3] and [4] do not broadcast (dimension 1: 3 vs 4)", e.getMessage());
    }

    @Test
    void reshapeInfersOneMinusOne() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(Shape.of(6, 4), s.reshape(-1, 4));
        assertEquals(Shape.of(2, 12), s.reshape(2, -1));
        assertEquals(Shape.of(24), s.reshape(-1));
        assertEquals(Shape.scalar(), Shape.of(1, 1).reshape());
        assertArrayEquals(new int[] {3, 0}, Shape.of(0, 3).reshape(3, -1).dims());
    }

    @Test
    void reshapeErrorsSayWhy() {
        Shape s = Shape.of(2, 3, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.reshape(-1, -1)).getMessage().contains("only one -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.reshape(5, -1)).getMessage().contains("cannot reshape [2, 3, 4]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.reshape(5, 5)).getMessage().contains("(24 elements)"));
        assertThrows(IllegalArgumentException.class, () -> s.reshape(0, -1));
        assertThrows(IllegalArgumentException.class, () -> s.reshape(-2, -12));
    }
}
