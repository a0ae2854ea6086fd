package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Layer;
import io.recur.nn.Linear;
import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's MLPBlock: ffw_up holds both up projections in one tensor, w (2, width,
 * expanded) ~ N(0, 1/width) and b (2, 1, 1, expanded) = 0; out = ffw_down(gelu(up₀) ⊙ up₁).
 */
public final class MLPBlock extends Layer {
    /** The reference's Einsum module "...td,cdD->c...tD": the pair of up projections. */
    static final class UpProjections extends Module {
        final Param w, b;

        UpProjections(Initializer init, int width, int expanded) {
            w = parameter("w", init.normal(Shape.of(2, width, expanded), 0, Math.sqrt(1.0 / width)));
            b = parameter("b", init.full(Shape.of(2, 1, 1, expanded), 0f));
        }

        /** Projection c (0: gate, 1: value) of x (..., width) → (..., expanded). */
        Tensor project(Tensor x, int c) {
            int width = w.shape().dim(1), expanded = w.shape().dim(2);
            Tensor wc = Shapes.reshape(Shapes.slice(w.get(), 0, c, c + 1), width, expanded);
            Tensor bc = Shapes.reshape(Shapes.slice(b.get(), 0, c, c + 1), expanded);
            int rows = Math.toIntExact(x.size() / width);
            Tensor y = Arith.add(MatMul.matmul(Shapes.reshape(x, rows, width), wc), bc);
            int[] dims = x.shape().dims().clone();
            dims[dims.length - 1] = expanded;
            return Shapes.reshape(y, dims);
        }
    }

    private final UpProjections ffwUp;
    private final Linear ffwDown;

    public MLPBlock(Initializer init, int width, int expandedWidth, double finalVarianceScale) {
        ffwUp = child("ffw_up", new UpProjections(init, width, expandedWidth));
        ffwDown = child("ffw_down", ReferenceInit.linear(init, expandedWidth, width, finalVarianceScale / expandedWidth, true));
    }

    @Override
    public Tensor forward(Tensor x) {
        return ffwDown.forward(Arith.mul(Activations.gelu(ffwUp.project(x, 0)), ffwUp.project(x, 1)));
    }
}
