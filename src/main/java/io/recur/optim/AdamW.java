package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), step for step as torch.optim.AdamW:
 * p ← p·(1 − lr·wd); m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
 * p ← p − lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + ε).
 */
public final class AdamW extends ParameterwiseOptimizer {
    /** Hyperparameters; torch's defaults are (0.9, 0.999, 1e-8). */
    public record Settings(double beta1, double beta2, double eps) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
                throw new IllegalArgumentException("AdamW: betas must be in [0, 1), got " + beta1 + ", " + beta2);
            if (!(eps > 0)) throw new IllegalArgumentException("AdamW: eps must be > 0, got " + eps);
        }

        public static Settings defaults() { return new Settings(0.9, 0.999, 1e-8); }
    }

    private final Settings settings;

    public AdamW(List<ParameterGroup> groups, Settings settings) {
        super("AdamW", groups, List.of("exp_avg", "exp_avg_sq"));
        this.settings = settings;
    }

    public Settings settings() { return settings; }

    @Override
    protected void update(Tensor p, Tensor g, Tensor[] buffers, double lr, double weightDecay, long step) {
        Backend b = p.backend();
        Tensor m = buffers[0], v = buffers[1];
        double beta1 = settings.beta1(), beta2 = settings.beta2();
        double correction1 = 1 - Math.pow(beta1, step), correction2 = 1 - Math.pow(beta2, step);
        if (weightDecay > 0) b.scalar(ScalarOp.MUL, p, (float) (1 - lr * weightDecay), p);
        try (Tensor t = b.allocate(p.shape(), p.dtype())) {
            b.scalar(ScalarOp.MUL, m, (float) beta1, m);
            b.scalar(ScalarOp.MUL, g, (float) (1 - beta1), t);
            b.binary(BinaryOp.ADD, m, t, m);
            b.unary(UnaryOp.SQUARE, g, t);
            b.scalar(ScalarOp.MUL, t, (float) (1 - beta2), t);
            b.scalar(ScalarOp.MUL, v, (float) beta2, v);
            b.binary(BinaryOp.ADD, v, t, v);
            b.unary(UnaryOp.SQRT, v, t);                                   // the denominator
            b.scalar(ScalarOp.MUL, t, (float) (1 / Math.sqrt(correction2)), t);
            b.scalar(ScalarOp.ADD, t, (float) settings.eps(), t);
            b.binary(BinaryOp.DIV, m, t, t);                               // the step direction
            b.scalar(ScalarOp.MUL, t, (float) (lr / correction1), t);
            b.binary(BinaryOp.SUB, p, t, p);
        }
    }
}
