package io.recur.nn;

import io.recur.autograd.Tape;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splitting a time-major tensor (T, …) into steps and joining steps back, for unrolled recurrences. */
final class TimeSteps {
    private TimeSteps() {}

    /** Where the per-step gradients of one unbind land: one (T, …) buffer, allocated by the first backward to run. */
    private static final class GradientBuffer { Tensor whole; }

    /**
     * The T steps of x (T, …) as views of shape (…). Unlike T slices (each of whose gradients is a
     * zero-padded copy of all of x, O(T²) for a sequence), every step's gradient is written into
     * its row of one shared buffer, which step 0 hands to the tape. That relies on the tape's order:
     * records run backwards in reverse, so step 0's backward runs after all others; and on step 0
     * receiving a gradient whenever any step does, which holds for the input of a recurrence (every
     * step's state depends on step 0). Hence package-private.
     */
    static List<Tensor> unbind(Tensor x) {
        int steps = x.dim(0);
        Shape whole = x.shape();
        int[] stepDims = Arrays.copyOfRange(whole.dims(), 1, whole.rank());
        int rowSize = Math.toIntExact(whole.inner(0));
        GradientBuffer buffer = new GradientBuffer();
        List<Tensor> out = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Tensor view;
            try (Tensor row = x.slice0(t, t + 1)) {
                view = row.reshape(stepDims);
            }
            int at = t;
            out.add(Tape.record("timeStep", view, (ctx, g) -> {
                if (buffer.whole == null) buffer.whole = g.backend().zeros(whole);
                g.backend().copyBlock(g, 1, 0, buffer.whole, steps, at, 1, 1, rowSize, false);
                return new Tensor[] {at == 0 ? buffer.whole : null};
            }, new Tensor[] {x}));
        }
        return out;
    }

    /** Steps of equal shape (…) joined into (T, …). */
    static Tensor stack(List<Tensor> steps) {
        List<Tensor> rows = new ArrayList<>(steps.size());
        for (Tensor s : steps) {
            int[] d = new int[s.rank() + 1];
            d[0] = 1;
            System.arraycopy(s.shape().dims(), 0, d, 1, s.rank());
            rows.add(Shapes.reshape(s, d));
        }
        return Shapes.concat(rows, 0);
    }
}
