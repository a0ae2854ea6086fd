package io.recur.nn;

import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.ops.Scans;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * The Linear Recurrent Unit (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks"), with
 * the parameter names of the paper's code: x_t = λ ⊙ x_{t-1} + γ ⊙ (B u_t) over a complex state of
 * size N, y_t = Re(C x_t) + D ⊙ u_t, with λ = exp(-exp(nu_log) + i exp(theta_log)), γ =
 * exp(gamma_log), B = B_re + i B_im (N, H), C = C_re + i C_im (H, N). Input and output (batch, T, H).
 *
 * <p>The complex recurrence runs as {@link Scans#matrixScan} on 2×2 blocks: multiplying by λ is the
 * real rotation-and-scaling [[Re λ, -Im λ], [Im λ, Re λ]] of (Re x, Im x). Two independent real
 * diagonal scans cannot express it (the parts mix), and decoupling by x_t = λ^t s_t would divide by
 * |λ|^t, which overflows float32 for long sequences. The 2×2 scan is exact, parallel over time and
 * differentiable through the existing scan backward. State: (batch, N, 2) real/imaginary pairs.
 */
public final class LRU extends SequenceLayer {
    private final LRUConfig config;
    private final Param nuLog, thetaLog, gammaLog, bRe, bIm, cRe, cIm, d;

    public LRU(Initializer init, LRUConfig config) {
        this.config = config;
        int h = config.dModel(), n = config.stateSize();
        float[] u1 = init.uniformHost(Shape.of(n)), u2 = init.uniformHost(Shape.of(n));
        float[] nu = new float[n], theta = new float[n], gamma = new float[n];
        double r2min = config.rMin() * config.rMin(), r2max = config.rMax() * config.rMax();
        for (int k = 0; k < n; k++) {
            // |λ|² uniform in [r_min², r_max²] (uniform on the ring by area): ν = log(-½ log|λ|²)
            nu[k] = (float) Math.log(-0.5 * Math.log(u1[k] * (r2max - r2min) + r2min));
            theta[k] = (float) Math.log(config.maxPhase() * u2[k]);
            // γ normalises the state's variance for white-noise input: sqrt(1 - |λ|²)
            double modulus = Math.exp(-Math.exp(nu[k]));
            gamma[k] = (float) Math.log(Math.sqrt(1 - modulus * modulus));
        }
        nuLog = parameter("nu_log", init.fromArray(nu, Shape.of(n)));
        thetaLog = parameter("theta_log", init.fromArray(theta, Shape.of(n)));
        gammaLog = parameter("gamma_log", init.fromArray(gamma, Shape.of(n)));
        bRe = parameter("B_re", init.normal(Shape.of(n, h), 0, 1 / Math.sqrt(2.0 * h)));
        bIm = parameter("B_im", init.normal(Shape.of(n, h), 0, 1 / Math.sqrt(2.0 * h)));
        cRe = parameter("C_re", init.normal(Shape.of(h, n), 0, 1 / Math.sqrt(n)));
        cIm = parameter("C_im", init.normal(Shape.of(h, n), 0, 1 / Math.sqrt(n)));
        d = parameter("D", init.normal(Shape.of(h), 0, 1));
    }

    public LRUConfig config() { return config; }

    @Override public int stateParts() { return 1; }

    @Override
    public SequenceOutput forward(Tensor u, RecurrentState initial) {
        checkOpen();
        int h = config.dModel(), n = config.stateSize();
        if (u.rank() != 3 || u.dim(2) != h)
            throw new IllegalArgumentException("LRU: input must be (batch, time, " + h + "), got " + u.shape());
        int batch = u.dim(0), steps = u.dim(1);
        checkStateParts(initial);
        Tensor h0 = initial == null ? null : initial.part(0);
        if (h0 != null && !h0.shape().equals(Shape.of(batch, n, 2)))
            throw new IllegalArgumentException("LRU: state must be (batch, N, 2) = " + Shape.of(batch, n, 2) + ", got " + h0.shape());
        // Inputs γ ⊙ B u_t as interleaved (Re, Im) pairs: one GEMM with B's rows interleaved.
        Tensor gamma = Shapes.reshape(Activations.exp(gammaLog.get()), n, 1, 1);
        Tensor bPairs = Arith.mul(Shapes.concat(List.of(Shapes.reshape(bRe.get(), n, 1, h), Shapes.reshape(bIm.get(), n, 1, h)), 1), gamma);
        Tensor bu = MatMul.linear(u, Shapes.reshape(bPairs, 2 * n, h), null);                         // (B, T, 2N)
        Tensor b = Shapes.transpose(Shapes.reshape(bu, batch, steps, n, 2), 1, 2);                    // (B, N, T, 2)
        // λ as 2×2 blocks, repeated over batch and time (matrixScan takes one matrix per step).
        Tensor lambda = Shapes.reshape(LambdaRotations.of(nuLog.get(), thetaLog.get()), n, 1, 2, 2);
        Tensor a = Arith.mul(u.backend().full(Shape.of(batch, n, steps, 1, 1), 1f), lambda);          // (B, N, T, 2, 2)
        Tensor states = Scans.matrixScan(a, b, h0, false);                                            // (B, N, T, 2)
        // Re(C x) = C_re Re x - C_im Im x: one GEMM against C's columns interleaved with -C_im.
        Tensor cPairs = Shapes.concat(List.of(Shapes.reshape(cRe.get(), h, n, 1), Shapes.reshape(Arith.neg(cIm.get()), h, n, 1)), 2);
        Tensor flat = Shapes.reshape(Shapes.transpose(states, 1, 2), batch, steps, 2 * n);
        Tensor y = Arith.add(MatMul.linear(flat, Shapes.reshape(cPairs, h, 2 * n), null), Arith.mul(u, d.get()));
        Tensor last = Shapes.reshape(Shapes.slice(states, 2, steps - 1, steps), batch, n, 2);
        return new SequenceOutput(y, RecurrentState.of(last));
    }

    /** u_t (batch, H) → y_t (batch, H) and the next state. */
    @Override
    public SequenceOutput step(Tensor ut, RecurrentState state) {
        if (ut.rank() != 2) throw new IllegalArgumentException("LRU: a step takes (batch, " + config.dModel() + "), got " + ut.shape());
        int batch = ut.dim(0);
        SequenceOutput o = forward(Shapes.reshape(ut, batch, 1, ut.dim(1)), state);
        return new SequenceOutput(Shapes.reshape(o.output(), batch, config.dModel()), o.state());
    }
}
