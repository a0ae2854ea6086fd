package io.recur.nn.mamba;

import io.recur.nn.Initializer;
import io.recur.nn.Param;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.CausalConv1d;
import io.recur.ops.SelectiveScan;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * mamba_ssm's Mamba (v1) mixer with its parameter names and shapes. On h (batch, L, d_model):
 * in_proj → (x, z); x ← SiLU(causal depthwise conv1d(x)); x_proj(x) → (dt, B, C);
 * δ = softplus(dt_proj.weight·dt + dt_proj.bias); y = selective_scan(x, δ, A = -exp(A_log), B, C, D)
 * · SiLU(z); out_proj(y). The scan runs channels-first (batch, d_inner, L) as mamba_ssm's.
 *
 * <p>State, as mamba_ssm's inference cache: conv_state (batch, d_inner, d_conv-1), the last conv
 * inputs, and ssm_state (batch, d_inner, d_state). {@link #step} and {@link #forward(Tensor,
 * RecurrentState)} share one code path, so generation reproduces the full forward.
 *
 * <p>With ssm_cfg.selective false (the paper's LTI ablation) Δ, B and C do not depend on the input:
 * x_proj and dt_proj are replaced by learned B (d_inner, N), C (d_inner, N) and dt_bias (d_inner),
 * δ = softplus(dt_bias).
 */
public final class MambaMixer extends SequenceLayer {
    private final int dModel, dInner, dState, dtRank;
    private final boolean selective;
    private final Projection inProj, xProj, dtProj, outProj;
    private final DepthwiseConv1d conv1d;
    private final Param aLog, d, fixedB, fixedC, dtBias;

    public MambaMixer(Initializer init, MambaConfig config) {
        SsmConfig s = config.ssmCfg();
        dModel = config.dModel();
        dInner = config.dInner();
        dState = s.dState();
        dtRank = config.dtRank();
        selective = s.selective();
        // Listed as torch lists mamba_ssm's: own parameters (A_log, D) first, then in_proj, conv1d, x_proj, dt_proj, out_proj.
        inProj = child("in_proj", new Projection(MambaInit.linearWeight(init, 2 * dInner, dModel), MambaInit.zerosOrNull(init, s.bias(), 2 * dInner)));
        conv1d = child("conv1d", new DepthwiseConv1d(MambaInit.convWeight(init, dInner, s.dConv()),
                s.convBias() ? MambaInit.convBias(init, dInner, s.dConv()) : null));
        if (selective) {
            xProj = child("x_proj", new Projection(MambaInit.linearWeight(init, dtRank + 2 * dState, dInner), null));
            dtProj = child("dt_proj", new Projection(MambaInit.dtProjWeight(init, dInner, dtRank, s.dtScale()), MambaInit.dtBias(init, dInner, s)));
            fixedB = fixedC = dtBias = null;
        } else {
            xProj = dtProj = null;
            fixedB = parameter("B", MambaInit.fixedProjection(init, dInner, dState));
            fixedC = parameter("C", MambaInit.fixedProjection(init, dInner, dState));
            dtBias = parameter("dt_bias", MambaInit.dtBias(init, dInner, s));
        }
        aLog = parameter("A_log", MambaInit.aLog(init, dInner, dState));
        d = parameter("D", MambaInit.ones(init, dInner));
        outProj = child("out_proj", new Projection(MambaInit.outProjWeight(init, dModel, dInner, config.nLayer()), MambaInit.zerosOrNull(init, s.bias(), dModel)));
    }

    /** conv_state and ssm_state. */
    @Override public int stateParts() { return 2; }

    public int dInner() { return dInner; }

    public int dState() { return dState; }

    /** h (batch, L, d_model) from state (null: zeros) → (batch, L, d_model) and the state after the last step. */
    @Override
    public SequenceOutput forward(Tensor h, RecurrentState initial) {
        checkOpen();
        if (h.rank() != 3 || h.dim(2) != dModel)
            throw new IllegalArgumentException("MambaMixer: input must be (batch, L, " + dModel + "), got " + h.shape());
        int batch = h.dim(0), length = h.dim(1);
        checkStateParts(initial);
        Tensor convState = initial == null ? null : checkState(initial.part(0), Shape.of(batch, dInner, conv1d.width() - 1), "conv_state");
        Tensor ssmState = initial == null ? null : checkState(initial.part(1), Shape.of(batch, dInner, dState), "ssm_state");

        List<Tensor> xz = Shapes.split(inProj.forward(h), new int[] {dInner, dInner}, 2);         // 2 × (B, L, E)
        Tensor x = Shapes.transpose(xz.get(0), 1, 2), z = Shapes.transpose(xz.get(1), 1, 2);        // (B, E, L)
        CausalConv1d.Step conv = conv1d.forward(x, convState);
        Tensor u = conv.out();                                                                       // (B, E, L)
        Tensor a = Arith.neg(Activations.exp(aLog.get()));
        SelectiveScan.Result scan;
        if (selective) {
            Tensor xDbl = xProj.forward(Shapes.transpose(u, 1, 2));                                  // (B, L, R + 2N)
            List<Tensor> parts = Shapes.split(xDbl, new int[] {dtRank, dState, dState}, 2);
            Tensor delta = Shapes.transpose(dtProj.forwardWithoutBias(parts.get(0)), 1, 2);         // (B, E, L)
            Tensor b = Shapes.reshape(Shapes.transpose(parts.get(1), 1, 2), batch, 1, dState, length);
            Tensor c = Shapes.reshape(Shapes.transpose(parts.get(2), 1, 2), batch, 1, dState, length);
            scan = SelectiveScan.selectiveScanWithLastState(u, delta, a, b, c, d.get(), z, dtProj.bias().get(), true, ssmState);
        } else {
            Tensor noDelta = u.backend().zeros(Shape.of(batch, dInner, length));                    // δ = softplus(dt_bias) alone
            scan = SelectiveScan.selectiveScanWithLastState(u, noDelta, a, fixedB.get(), fixedC.get(), d.get(), z, dtBias.get(), true, ssmState);
        }
        Tensor y = outProj.forward(Shapes.transpose(scan.out(), 1, 2));                             // (B, L, d_model)
        return new SequenceOutput(y, RecurrentState.of(conv.state(), scan.lastState()));
    }

    /** One token: h_t (batch, d_model) → (batch, d_model) and the next state. */
    @Override
    public SequenceOutput step(Tensor ht, RecurrentState state) {
        if (ht.rank() != 2 || ht.dim(1) != dModel)
            throw new IllegalArgumentException("MambaMixer: a step takes (batch, " + dModel + "), got " + ht.shape());
        SequenceOutput o = forward(Shapes.reshape(ht, ht.dim(0), 1, dModel), state);
        return new SequenceOutput(Shapes.reshape(o.output(), ht.dim(0), dModel), o.state());
    }

    private static Tensor checkState(Tensor t, Shape expected, String what) {
        if (!t.shape().equals(expected))
            throw new IllegalArgumentException("MambaMixer: " + what + " must be " + expected + ", got " + t.shape());
        return t;
    }
}
