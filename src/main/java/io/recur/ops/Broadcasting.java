package io.recur.ops;

import io.recur.tensor.Shape;

/** Numpy broadcasting of operand shapes, with errors that name the operation. */
final class Broadcasting {
    private Broadcasting() {}

    static Shape shape(String op, Shape a, Shape b) {
        try {
            return Shape.broadcast(a, b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage()
                    + "; dimensions must be equal or 1 when aligned from the right (reshape or expand an operand)", e);
        }
    }

    /** The dimensions before the last two, e.g. the batch dimensions of a matrix stack. */
    static Shape leading(Shape s, int trailing) {
        int[] d = s.dims();
        return Shape.of(java.util.Arrays.copyOf(d, d.length - trailing));
    }

    /** s followed by the extra dimensions. */
    static Shape append(Shape s, int... extra) {
        int[] d = s.dims();
        int[] r = java.util.Arrays.copyOf(d, d.length + extra.length);
        System.arraycopy(extra, 0, r, d.length, extra.length);
        return Shape.of(r);
    }
}
