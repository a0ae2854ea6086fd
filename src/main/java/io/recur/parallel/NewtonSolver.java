package io.recur.parallel;

import io.recur.autograd.Tape;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.ops.Scans;
import io.recur.ops.Shapes;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * Newton's method on a whole trajectory (DEER and its relatives). The trajectory h = (h_0 … h_{T-1})
 * of h_t = f(h_{t-1}, x_t) is the root of r(h)_t = h_t − f(h_{t-1}, x_t). Linearizing f around the
 * guess h̃ gives the linear recurrence
 * <pre>
 *   h_t = J_t h_{t-1} + (f(h̃_{t-1}, x_t) − J_t h̃_{t-1}),   J_t = ∂f/∂h at h̃_{t-1},
 * </pre>
 * which a parallel scan solves (DEER: dense J, quasi-DEER: diag J); the damped methods solve the
 * Levenberg–Marquardt version instead ({@link ScalarKalman}, {@link DenseKalman}). Everything runs
 * without recording: the gradient comes from {@link ImplicitAdjoint} at the solution.
 */
public final class NewtonSolver {
    private NewtonSolver() {}

    /**
     * Solves for the trajectory.
     *
     * @param cell  the recurrence
     * @param drive the cell's drive (batch, T, k)
     * @param h0    the state before step 0, (batch, n), or null for zeros
     * @param guess the initial trajectory (batch, T, n), e.g. the previous training step's solution;
     *              null starts from zeros. Not modified or closed.
     */
    public static Solution solve(RecurrentCell cell, Tensor drive, Tensor h0, Tensor guess, NewtonOptions options) {
        String op = "NewtonSolver";
        if (drive.rank() != 3) throw new IllegalArgumentException(op + ": the drive must be (batch, T, k), got " + drive.shape());
        int batch = drive.dim(0), length = drive.dim(1), n = cell.stateSize();
        Shape states = Shape.of(batch, length, n);
        if (length == 0) throw new IllegalArgumentException(op + ": the sequence is empty (T = 0)");
        if (h0 != null && !h0.shape().equals(Shape.of(batch, n)))
            throw new IllegalArgumentException(op + ": h0 must be (batch, n) = " + Shape.of(batch, n) + ", got " + h0.shape());
        if (guess != null && !guess.shape().equals(states))
            throw new IllegalArgumentException(op + ": the initial guess must be (batch, T, n) = " + states + ", got " + guess.shape());
        Method method = options.method();
        boolean damped = method.damped();
        if (method.jacobian() == JacobianKind.FULL && n > 32)
            throw new IllegalArgumentException(op + ": " + method.key() + " scans dense n×n Jacobians and needs a state of at most 32, got "
                    + n + "; use quasi-" + method.key() + " for larger states");
        int limit = damped ? options.maxIterations() : Math.min(options.maxIterations(), length);
        try (Tape.NoGrad noGrad = Tape.noGrad(); Scope solve = Scope.open(op)) {
            Tensor h = guess != null ? guess : drive.backend().zeros(states);
            double residual = Double.NaN;
            boolean converged = false, finite = true;
            int iterations = 0;
            while (iterations < limit && !converged) {
                try (Scope step = Scope.open(op + " iteration")) {
                    Tensor prev = TimeShift.previous(h, h0);
                    Linearization lin = cell.linearize(prev, drive, method.jacobian());
                    if (damped) {
                        // a damped step can be short far from the answer: only the defect says it is reached
                        residual = maxAbs(Arith.sub(lin.value(), h));
                        if (residual <= options.tolerance()) {
                            converged = true;
                            break;
                        }
                    }
                    iterations++;
                    Tensor next = clipped(update(lin, prev, h0, h, options), options.clip());
                    Tensor delta = Arith.sub(next, h);
                    if (!allFinite(delta)) {
                        finite = false;
                        residual = Double.NaN;
                        break;
                    }
                    if (!damped) {
                        residual = maxAbs(delta);
                        // exact after T iterations, though the last update still moved
                        converged = residual <= options.tolerance() || iterations == length;
                    }
                    if (h != guess) h.close();
                    h = step.keep(next);
                }
            }
            if (damped && !converged && finite) {
                residual = maxAbs(Arith.sub(cell.linearize(TimeShift.previous(h, h0), drive, JacobianKind.NONE).value(), h));
                converged = residual <= options.tolerance();
            }
            if (h == guess) h = Arith.addScalar(guess, 0f);
            return new Solution(solve.keep(h), iterations, residual, converged);
        }
    }

    /** One Newton (or damped Newton) update of the trajectory h, from the cell linearized at prev = h shifted by one step. */
    private static Tensor update(Linearization lin, Tensor prev, Tensor h0, Tensor h, NewtonOptions options) {
        Tensor j = lin.jacobian();
        boolean full = options.method().jacobian() == JacobianKind.FULL;
        Tensor offset = Arith.sub(lin.value(), full ? Batched.apply(j, prev) : Arith.mul(j, prev));
        return switch (options.method()) {
            case DEER -> Scans.matrixScan(j, offset, h0, false);
            case QUASI_DEER -> Scans.linearScanChannelsLast(j, offset, h0, null, false);
            case ELK -> DenseKalman.smooth(j, offset, h0, h, options.damping());
            case QUASI_ELK -> ScalarKalman.smooth(j, offset, h0, h, options.damping());
        };
    }

    private static double maxAbs(Tensor x) { return Reduce.max(Shapes.flatten(Activations.abs(x)), 0, false).item(); }

    private static Tensor clipped(Tensor x, float clip) {
        if (Float.isInfinite(clip)) return x;
        Tensor hi = x.backend().full(Shape.of(1), clip), lo = x.backend().full(Shape.of(1), -clip);
        return Arith.minimum(Arith.maximum(x, lo), hi);
    }

    /** Whether x holds no NaN or infinity: Σ 0·x is 0 exactly then, and NaN otherwise. */
    private static boolean allFinite(Tensor x) {
        return Reduce.sum(Arith.mulScalar(x, 0f)).item() == 0f;
    }
}
