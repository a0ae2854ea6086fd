package io.recur.ops;

import io.recur.tensor.Shape;

/**
 * A shape seen as (outer, n, inner) around one axis: the layout every axis-wise backend primitive
 * (copyBlock, gather, scatterAdd) takes.
 */
record AxisLayout(int axis, int outer, int n, int inner) {

    /** The layout of shape around an axis that the caller has already normalised. */
    static AxisLayout of(Shape shape, int axis) {
        return new AxisLayout(axis, Math.toIntExact(shape.outer(axis)), shape.dim(axis), Math.toIntExact(shape.inner(axis)));
    }
}
