package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with heavy-ball or Nesterov momentum, as torch.optim.SGD
 * (dampening 0): b ← μ b + g; d = g + μ b (Nesterov) or b; p ← p − lr d. Weight decay is
 * decoupled (p ← p·(1 − lr·wd) first), unlike torch's SGD, which adds wd·p to the gradient.
 */
public final class Sgd extends ParameterwiseOptimizer {
    /** Hyperparameters. */
    public record Settings(double momentum, boolean nesterov) {
        public Settings {
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
            if (nesterov && momentum == 0) throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0");
        }

        public static Settings plain() { return new Settings(0, false); }
    }

    private final Settings settings;

    public Sgd(List<ParameterGroup> groups, Settings settings) {
        super("SGD", groups, settings.momentum() > 0 ? List.of("momentum_buffer") : List.of());
        this.settings = settings;
    }

    public Settings settings() { return settings; }

    @Override
    protected void update(Tensor p, Tensor g, Tensor[] buffers, double lr, double weightDecay, long step) {
        Backend b = p.backend();
        if (weightDecay > 0) b.scalar(ScalarOp.MUL, p, (float) (1 - lr * weightDecay), p);
        try (Tensor d = b.allocate(p.shape(), p.dtype())) {
            if (buffers.length == 0) {
                b.scalar(ScalarOp.MUL, g, (float) lr, d);
            } else {
                Tensor momentum = buffers[0];
                float mu = (float) settings.momentum();
                b.scalar(ScalarOp.MUL, momentum, mu, momentum);
                b.binary(BinaryOp.ADD, momentum, g, momentum);
                if (settings.nesterov()) {
                    b.scalar(ScalarOp.MUL, momentum, mu, d);
                    b.binary(BinaryOp.ADD, d, g, d);
                    b.scalar(ScalarOp.MUL, d, (float) lr, d);
                } else {
                    b.scalar(ScalarOp.MUL, momentum, (float) lr, d);
                }
            }
            b.binary(BinaryOp.SUB, p, d, p);
        }
    }
}
