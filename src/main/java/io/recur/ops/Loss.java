package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Loss functions with torch semantics. */
public final class Loss {
    /** torch's default ignore_index. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private Loss() {}

    /** Mean cross entropy of logits (…, C) against int32 class targets (…), ignoring -100. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Cross entropy of logits (…, C) against int32 targets (…) in [0, C) or equal to ignoreIndex.
     * Ignored positions contribute 0 and are not counted by MEAN; if every target is ignored the
     * MEAN loss is 0 with a zero gradient (torch gives NaN). NONE returns the per-position losses.
     * <p>Cost: the targets are copied to the host to validate their range and count them, which
     * synchronizes a device backend once per call.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, Reduction reduction) {
        String name = "crossEntropy";
        Checks.sameBackend(name, logits, targets);
        Checks.dtype(name, "logits", logits, DType.F32);
        Checks.dtype(name, "targets", targets, DType.I32);
        Checks.rankAtLeast(name, "logits", logits, 1);
        Shape rowShape = Broadcasting.leading(logits.shape(), 1);
        if (!targets.shape().equals(rowShape))
            throw new IllegalArgumentException(name + ": targets " + targets.shape() + " must have the shape of logits " + logits.shape()
                    + " without its last (class) axis, i.e. " + rowShape);
        int classes = logits.shape().last(), rows = rowShape.intSize();
        long counted = countTargets(name, targets.toIntArray(), classes, ignoreIndex);
        Backend be = logits.backend();
        Tensor losses = Outputs.f32(be, rowShape);
        be.crossEntropy(logits, targets, rows, classes, ignoreIndex, losses);
        if (reduction == Reduction.NONE)
            return Tape.record(name, losses, (ctx, g) -> new Tensor[] {logitsGrad(ctx.saved(0), ctx.saved(1), g, rows, classes, ignoreIndex), null},
                    new Tensor[] {logits, targets}, logits, targets);
        // MEAN divides by the counted targets; with none counted every loss is 0 and so is the gradient.
        float scale = reduction == Reduction.SUM ? 1f : counted == 0 ? 0f : 1f / counted;
        try (losses) {
            Tensor loss = Sums.all(losses, scale);
            return Tape.record(name, loss, (ctx, g) -> {
                try (Tensor dLosses = Grads.expand(g, rowShape, scale)) {
                    return new Tensor[] {logitsGrad(ctx.saved(0), ctx.saved(1), dLosses, rows, classes, ignoreIndex), null};
                }
            }, new Tensor[] {logits, targets}, logits, targets);
        }
    }

    /** Mean squared error mean((a - b)^2) of two tensors of the same shape. */
    public static Tensor mse(Tensor a, Tensor b) {
        String name = "mse";
        Checks.sameBackend(name, a, b);
        Checks.dtype(name, "a", a, DType.F32);
        Checks.dtype(name, "b", b, DType.F32);
        if (!a.shape().equals(b.shape()))
            throw new IllegalArgumentException(name + ": shapes differ, " + a.shape() + " vs " + b.shape() + "; mse compares tensors of one shape");
        Backend be = a.backend();
        float scale = 1f / a.size();
        Shape shape = a.shape();
        try (Tensor diff = Outputs.like(a); Tensor squares = Outputs.like(a)) {
            be.binary(BinaryOp.SUB, a, b, diff);
            be.unary(UnaryOp.SQUARE, diff, squares);
            Tensor loss = Sums.all(squares, scale);
            return Tape.record(name, loss, (ctx, g) -> {
                // d/da = 2 (a - b) / n, d/db = -d/da
                Tensor da = Grads.expand(g, shape, 2f * scale);
                g.backend().binary(BinaryOp.MUL, da, ctx.saved(0), da);
                return new Tensor[] {da, ctx.needsGrad(1) ? Grads.scaled(da, -1f) : null};
            }, new Tensor[] {a, b}, diff);
        }
    }

    private static Tensor logitsGrad(Tensor logits, Tensor targets, Tensor dLosses, int rows, int classes, int ignoreIndex) {
        Tensor d = Outputs.like(logits);
        logits.backend().crossEntropyBackward(logits, targets, dLosses, rows, classes, ignoreIndex, d);
        return d;
    }

    /** Number of targets that are not ignored; fails on the first one outside [0, classes). */
    private static long countTargets(String op, int[] targets, int classes, int ignoreIndex) {
        long counted = 0;
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= classes)
                throw new IllegalArgumentException(op + ": target " + t + " at flat position " + i + " is outside [0, " + classes
                        + ") for " + classes + " classes and is not the ignore index " + ignoreIndex);
            counted++;
        }
        return counted;
    }
}
