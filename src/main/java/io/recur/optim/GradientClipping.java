package io.recur.optim;

import io.recur.autograd.Tape;
import io.recur.backend.ScalarOp;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.Collection;

/** Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * The norm of all gradients together (parameters without one are skipped), summed on the
     * device with one host read; if it exceeds maxNorm, every gradient is scaled by
     * maxNorm / (norm + 1e-6). Returns the norm before clipping: NaN or infinity (then nothing is
     * scaled) tells the caller the step went wrong. maxNorm = infinity only measures.
     */
    public static double clipGlobalNorm(Collection<Tensor> parameters, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipping norm must be > 0, got " + maxNorm);
        double norm;
        try (Scope s = Scope.open("clip"); Tape.NoGrad off = Tape.noGrad()) {
            Tensor total = null;
            for (Tensor p : parameters) {
                if (p.grad() == null) continue;
                Tensor squares = Reduce.sum(Activations.square(p.grad()));
                total = total == null ? squares : Arith.add(total, squares);
            }
            if (total == null) return 0;
            norm = Math.sqrt(total.item());
        }
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Tensor p : parameters)
                if (p.grad() != null) p.grad().backend().scalar(ScalarOp.MUL, p.grad(), scale, p.grad());
        }
        return norm;
    }
}
