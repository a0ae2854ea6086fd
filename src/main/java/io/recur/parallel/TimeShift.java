package io.recur.parallel;

import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;
import java.util.List;

/** Moving a (batch, T, …) tensor one step along time, for "the previous state" and "the next step's Jacobian". */
final class TimeShift {
    private TimeShift() {}

    /** [first, x_0, …, x_{T-2}] where first is (batch, 1, …). */
    static Tensor right(Tensor x, Tensor first) {
        int length = x.dim(1);
        if (length == 1) return first;
        return Shapes.concat(List.of(first, Shapes.slice(x, 1, 0, length - 1)), 1);
    }

    /** [x_1, …, x_{T-1}, 0]. */
    static Tensor left(Tensor x) {
        int length = x.dim(1);
        Tensor zero = x.backend().zeros(x.shape().with(1, 1));
        if (length == 1) return zero;
        return Shapes.concat(List.of(Shapes.slice(x, 1, 1, length), zero), 1);
    }

    /** The states each step starts from: [h0, h_0, …, h_{T-2}] for h (batch, T, n) and h0 (batch, n) or null (zeros). */
    static Tensor previous(Tensor h, Tensor h0) {
        Tensor first = h0 == null ? h.backend().zeros(h.shape().with(1, 1)) : Shapes.reshape(h0, h0.dim(0), 1, h0.dim(1));
        return right(h, first);
    }
}
