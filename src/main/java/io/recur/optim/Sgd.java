package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with heavy-ball momentum: v = mu v + g; p = p - lr v. Updates the
 * parameters in place from their accumulated gradients, then clears the gradients.
 */
public final class Sgd implements AutoCloseable {
    private final List<Tensor> params;
    private final List<Tensor> velocity = new ArrayList<>();
    private final float momentum;
    private float learningRate;

    public Sgd(List<Tensor> params, float learningRate, float momentum) {
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        this.params = List.copyOf(params);
        this.learningRate = learningRate;
        this.momentum = momentum;
        Scope owner = Scope.current();
        for (Tensor p : this.params) {
            Tensor v = p.backend().zeros(p.shape());
            if (owner != null) owner.keep(v);   // state lives as long as the optimizer, not the caller's scope
            velocity.add(v);
        }
    }

    public void setLearningRate(float lr) { learningRate = lr; }

    /** One update from the current gradients; parameters without a gradient are left alone. */
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), g = p.grad(), v = velocity.get(i);
            if (g == null) continue;
            Backend b = p.backend();
            b.scalar(ScalarOp.MUL, v, momentum, v);
            b.binary(BinaryOp.ADD, v, g, v);
            try (Tensor step = b.allocate(p.shape(), p.dtype())) {
                b.scalar(ScalarOp.MUL, v, learningRate, step);
                b.binary(BinaryOp.SUB, p, step, p);
            }
            p.zeroGrad();
        }
    }

    @Override public void close() { velocity.forEach(Tensor::close); }
}
