package io.recur.ops;

import io.recur.autograd.Context;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Normalisations over the last axis: RMSNorm and LayerNorm. */
public final class Norm {
    private Norm() {}

    /** y = x / sqrt(mean(x^2) + eps) * weight over the last axis; weight has the last axis's length. */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        Rows rows = Rows.of("rmsNorm", x, eps);
        ShapeChecks.vector("rmsNorm", "weight", weight, rows.dim, x);
        Checks.sameBackend("rmsNorm", x, weight);
        Backend be = x.backend();
        // The scope closes rstd once the tape holds its own view of it (or at once, when not recording).
        try (Scope temporaries = Scope.open("rmsNorm")) {
            Tensor y = be.allocate(x.shape(), DType.F32);
            Tensor rstd = be.allocate(Shape.of(rows.count), DType.F32);
            be.rmsNorm(x, weight, rows.count, rows.dim, eps, y, rstd);
            Shape xShape = x.shape(), wShape = weight.shape();
            Tape.record("rmsNorm", y, (ctx, g) -> {
                Tensor dx = g.backend().allocate(xShape, DType.F32);
                Tensor dWeight = g.backend().zeros(wShape);
                g.backend().rmsNormBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), g, rows.count, rows.dim, dx, dWeight);
                return wanted(ctx, dx, dWeight);
            }, new Tensor[] {x, weight}, x, weight, rstd);
            return temporaries.keep(y);
        }
    }

    /**
     * y = (x - mean) / sqrt(var + eps) * weight + bias over the last axis (biased variance, as in
     * torch). weight and bias may be null, meaning 1 and 0 (torch's elementwise_affine=False); both
     * have the last axis's length otherwise.
     */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        Rows rows = Rows.of("layerNorm", x, eps);
        if (weight != null) ShapeChecks.vector("layerNorm", "weight", weight, rows.dim, x);
        if (bias != null) ShapeChecks.vector("layerNorm", "bias", bias, rows.dim, x);
        Checks.sameBackend("layerNorm", x, weight, bias);
        Backend be = x.backend();
        Shape vector = Shape.of(rows.dim);
        try (Scope temporaries = Scope.open("layerNorm")) {
            // The backend always scales and shifts; missing affine parameters become constants.
            Tensor w = weight != null ? weight : be.full(vector, 1f);
            Tensor b = bias != null ? bias : be.zeros(vector);
            Tensor y = be.allocate(x.shape(), DType.F32);
            Tensor mean = be.allocate(Shape.of(rows.count), DType.F32);
            Tensor rstd = be.allocate(Shape.of(rows.count), DType.F32);
            be.layerNorm(x, w, b, rows.count, rows.dim, eps, y, mean, rstd);
            Shape xShape = x.shape();
            Tape.record("layerNorm", y, (ctx, g) -> {
                Backend gb = g.backend();
                Tensor dx = gb.allocate(xShape, DType.F32);
                Tensor dWeight = gb.zeros(vector), dBias = gb.zeros(vector);
                gb.layerNormBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), ctx.saved(3), g, rows.count, rows.dim, dx, dWeight, dBias);
                return wanted(ctx, dx, dWeight, dBias);
            }, new Tensor[] {x, weight, bias}, x, w, mean, rstd);
            return temporaries.keep(y);
        }
    }

    /** x seen as (count, dim) rows of its last axis. */
    private record Rows(int count, int dim) {
        static Rows of(String op, Tensor x, float eps) {
            ShapeChecks.floats(op, "x", x);
            Checks.rankAtLeast(op, "x", x, 1);
            if (!(eps >= 0) || Float.isInfinite(eps))
                throw new IllegalArgumentException(op + ": eps must be finite and >= 0, got " + eps);
            int dim = x.shape().last();
            if (dim == 0) throw new IllegalArgumentException(op + ": the last axis of " + x.shape() + " is empty; nothing to normalise");
            return new Rows(Math.toIntExact(x.size() / dim), dim);
        }
    }

    /** The gradients the tape asked for; the others stay null (and the backward scope closes them). */
    private static Tensor[] wanted(Context ctx, Tensor... grads) {
        Tensor[] out = grads.clone();
        for (int i = 0; i < out.length; i++) if (!ctx.needsGrad(i)) out[i] = null;
        return out;
    }
}
