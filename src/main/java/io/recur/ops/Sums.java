package io.recur.ops;

import io.recur.backend.ScalarOp;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Unrecorded scaled sums, the forward of sum/mean and of reduced losses. */
final class Sums {
    private Sums() {}

    /**
     * scale * (x summed over the dimensions where kept has size 1), returned with shape out (the
     * same size as kept: kept without those dimensions, or kept itself).
     */
    static Tensor sum(Tensor x, Shape kept, Shape out, float scale) {
        Tensor r = Outputs.f32(x.backend(), kept);
        x.backend().sumTo(x, r);
        if (scale != 1f) x.backend().scalar(ScalarOp.MUL, r, scale, r);
        return Outputs.reshaped(r, out);
    }

    /** scale * the sum of all elements, as a rank-0 tensor. */
    static Tensor all(Tensor x, float scale) { return sum(x, Outputs.ones(x.rank()), Shape.scalar(), scale); }
}
