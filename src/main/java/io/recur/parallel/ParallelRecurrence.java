package io.recur.parallel;

import io.recur.autograd.Tape;
import io.recur.tensor.Tensor;

/**
 * A recurrent cell run over a whole sequence in parallel over time: Newton's iterations find the
 * trajectory without recording, then one more evaluation of the cell at the solution goes on the
 * tape through {@link ImplicitAdjoint}, so that backward costs one reverse scan plus the cell's
 * own backward in parallel over time (no backpropagation through the iterations).
 */
public final class ParallelRecurrence {
    private ParallelRecurrence() {}

    /**
     * @param states   h_0 … h_{T-1}, (batch, T, n): f evaluated once more at the solution,
     *                 differentiable with respect to the cell's weights, x and h0
     * @param solution the solver's iterate and diagnostics (not differentiable)
     */
    public record Result(Tensor states, Solution solution) {}

    /**
     * @param x     inputs (batch, T, input)
     * @param h0    the state before step 0 (batch, n), or null for zeros
     * @param guess an initial trajectory (batch, T, n) (warm start), or null for zeros
     */
    public static Result run(RecurrentCell cell, Tensor x, Tensor h0, Tensor guess, NewtonOptions options) {
        if (options.exactAdjoint() && options.method().jacobian() == JacobianKind.DIAGONAL && cell.stateSize() > 32)
            throw new IllegalArgumentException("ParallelRecurrence: an exact adjoint scans dense n×n Jacobians and needs a state of at most 32, got "
                    + cell.stateSize() + "; without exactAdjoint " + options.method().key() + " uses the diagonal one");
        Tensor drive = cell.drive(x);
        Solution solution = NewtonSolver.solve(cell, drive, h0, guess, options);
        Tensor prev = TimeShift.previous(solution.states(), h0);
        Tensor value = cell.linearize(prev, drive, JacobianKind.NONE).value();
        if (Tape.needsRecording(value)) {
            JacobianKind kind = options.adjointJacobian();
            Tensor jacobian;
            try (Tape.NoGrad noGrad = Tape.noGrad()) {
                jacobian = cell.linearize(prev, drive, kind).jacobian();
            }
            value = ImplicitAdjoint.apply(value, jacobian, kind);
        }
        return new Result(value, solution);
    }
}
