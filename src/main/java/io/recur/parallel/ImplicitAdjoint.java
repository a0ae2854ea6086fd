package io.recur.parallel;

import io.recur.autograd.Tape;
import io.recur.ops.Arith;
import io.recur.ops.Scans;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;

/**
 * The gradient of a trajectory found by Newton's method, by the implicit function theorem.
 *
 * <p>The solution h* is the fixed point h = F(h; θ) with F(h)_t = f(h_{t-1}, x_t; θ). For a loss L,
 * dL/dθ = λᵀ ∂F/∂θ with (I − ∂F/∂h)ᵀ λ = ∂L/∂h; since ∂F/∂h is J_t on the block below the diagonal,
 * λ solves the reverse recurrence λ_t = g_t + J_{t+1}ᵀ λ_{t+1} (one reverse scan). So the forward
 * evaluates F once more at the (detached) solution, on the tape, and passes it through this op,
 * whose backward turns g into λ; the tape then carries λ through F to the weights, the inputs and
 * h0, in parallel over time. With full Jacobians this is exact. With diagonal ones (quasi methods)
 * the reverse scan uses diag J_t, the same approximation as the forward (as the reference code
 * does): the gradient is exact only where J is diagonal ({@link NewtonOptions#exactAdjoint} asks
 * for the full Jacobian instead).
 */
public final class ImplicitAdjoint {
    private ImplicitAdjoint() {}

    /**
     * value itself in the forward; in the backward g ↦ λ.
     *
     * @param value    F(h*), (batch, T, n), recorded on the tape
     * @param jacobian ∂f/∂h at the solution: (batch, T, n, n) for FULL, (batch, T, n) for DIAGONAL
     */
    public static Tensor apply(Tensor value, Tensor jacobian, JacobianKind kind) {
        if (kind == JacobianKind.NONE) throw new IllegalArgumentException("ImplicitAdjoint: needs a FULL or DIAGONAL Jacobian");
        if (!Tape.needsRecording(value)) return value;
        Tensor out;
        try (Tape.NoGrad noGrad = Tape.noGrad()) {
            out = Arith.addScalar(value, 0f);
        }
        boolean full = kind == JacobianKind.FULL;
        return Tape.record("implicitAdjoint", out, (ctx, g) -> new Tensor[] {adjoint(ctx.saved(0), g, full)},
                new Tensor[] {value}, jacobian);
    }

    /** λ_t = g_t + J_{t+1}ᵀ λ_{t+1}, λ_{T-1} = g_{T-1}. */
    static Tensor adjoint(Tensor jacobian, Tensor g, boolean full) {
        if (full) return Scans.matrixScan(TimeShift.left(Shapes.transpose(jacobian, -2, -1)), g, null, true);
        return Scans.linearScanChannelsLast(TimeShift.left(jacobian), g, null, null, true);
    }
}
