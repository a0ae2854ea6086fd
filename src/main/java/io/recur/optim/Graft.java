package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * The diagonal method whose step length Shampoo borrows ("grafting", Agarwal et al. 2020): the
 * Shampoo direction of each block is rescaled to the norm of this method's direction on the same
 * block, and parameters Shampoo does not precondition take this direction as it is. With g the
 * gradient and ε the graft's epsilon:
 * <ul>
 * <li>SGD: d = g.</li>
 * <li>ADAGRAD: a ← a + g²; d = g / (√a + ε).</li>
 * <li>RMSPROP: v ← β₂v + (1 − β₂)g²; d = g / (√v + ε).</li>
 * <li>ADAM: as RMSProp with v bias-corrected, d = g / (√(v / (1 − β₂ᵗ)) + ε); the first moment is
 *     Shampoo's momentum, applied after grafting (as Distributed Shampoo's Adam graft).</li>
 * </ul>
 */
public enum Graft {
    SGD, ADAGRAD, RMSPROP, ADAM;

    /** The state buffer this graft keeps per parameter (the parameter's shape), if any. */
    List<String> bufferNames() {
        return switch (this) {
            case SGD -> List.of();
            case ADAGRAD -> List.of("graft_sum_sq");
            case RMSPROP, ADAM -> List.of("graft_exp_avg_sq");
        };
    }

    /** Writes the direction for gradient g into out (g's shape), updating the buffer; step counts from 1. */
    void direction(Tensor g, Tensor buffer, double beta2, double eps, long step, Tensor out) {
        Backend b = g.backend();
        if (this == SGD) {
            b.copy(g, out);
            return;
        }
        b.unary(UnaryOp.SQUARE, g, out);
        if (this != ADAGRAD) {
            b.scalar(ScalarOp.MUL, out, (float) (1 - beta2), out);
            b.scalar(ScalarOp.MUL, buffer, (float) beta2, buffer);
        }
        b.binary(BinaryOp.ADD, buffer, out, buffer);
        b.unary(UnaryOp.SQRT, buffer, out);
        if (this == ADAM) b.scalar(ScalarOp.MUL, out, (float) (1 / Math.sqrt(1 - Math.pow(beta2, step))), out);
        b.scalar(ScalarOp.ADD, out, (float) eps, out);
        b.binary(BinaryOp.DIV, g, out, out);
    }

    /** "sgd", "adagrad", ... to the constant, with an error listing the choices. */
    public static Graft parse(String name) {
        for (Graft g : values()) if (g.name().equalsIgnoreCase(name)) return g;
        throw new IllegalArgumentException("unknown graft '" + name + "': use sgd, adagrad, rmsprop or adam");
    }
}
