package io.recur.snn;

import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent spiking network with a leaky readout (see {@link LsnnConfig} for the equations), as a
 * whole model: inputs (batch, time, inputs) → readout (batch, time, outputs). The forward is
 * recorded with ops, so the tape's backward is BPTT through the surrogate gradient of
 * {@link SpikeFunction}. Parameters: cell.w_in, cell.w_rec, readout.weight, readout.bias.
 *
 * <p>State parts, each (batch, ·): v, b (threshold adaptation), z (last spikes), r (refractory
 * steps left), y (readout).
 */
public final class Lsnn extends SequenceLayer {
    /** The name in the model registry and config.json. */
    public static final String MODEL_TYPE = "lsnn";
    /** Parameter names, as a whole model keeps them. */
    public static final String W_IN = "cell.w_in", W_REC = "cell.w_rec", W_OUT = "readout.weight", B_OUT = "readout.bias";
    private static final int PARTS = 5;

    /** Per-step values a test or a regulariser reads, on the host, row-major (batch, neurons) per step. */
    public record Recording(List<float[]> voltages, List<float[]> thresholds, List<float[]> spikes) {}

    private final LsnnConfig config;
    private final SpikingWeights cell;
    private final LeakyReadout readout;

    public Lsnn(Initializer init, LsnnConfig config) {
        this.config = config;
        this.cell = child("cell", new SpikingWeights(init, config));
        this.readout = child("readout", new LeakyReadout(init, config));
    }

    /**
     * The network a generic model config asks for: d_model neurons, half LIF and half ALIF, with the
     * paper's evidence-accumulation constants ({@link LsnnConfig#evidenceAccumulation}).
     */
    public static LsnnConfig configFor(ModelConfig c) {
        if (c.tokenInputs())
            throw new IllegalArgumentException(MODEL_TYPE + ": a spiking network reads feature inputs (spike trains or rates), not token ids; pick a feature task such as evidence or store-recall");
        if (c.nLayer() != 1)
            throw new IllegalArgumentException(MODEL_TYPE + ": one recurrent layer of spiking neurons is supported, got n_layer " + c.nLayer() + "; use --n-layer 1");
        if (c.dModel() < 2) throw new IllegalArgumentException(MODEL_TYPE + ": needs d_model >= 2 neurons (LIF and ALIF), got " + c.dModel());
        return LsnnConfig.evidenceAccumulation(c.inputFeatures(), c.dModel(), c.outputSize());
    }

    public LsnnConfig config() { return config; }

    public SpikingWeights cell() { return cell; }

    public LeakyReadout readout() { return readout; }

    @Override public int stateParts() { return PARTS; }

    @Override
    public SequenceOutput forward(Tensor x, RecurrentState initial) { return run(x, initial, null); }

    /** The forward, also writing every step's v, A and z into {@code recording}'s lists. */
    public SequenceOutput forward(Tensor x, RecurrentState initial, Recording recording) { return run(x, initial, recording); }

    @Override
    public SequenceOutput step(Tensor xt, RecurrentState state) {
        if (xt.rank() != 2) throw new IllegalArgumentException("LSNN: a step takes (batch, " + config.inputs() + "), got " + xt.shape());
        int batch = xt.dim(0);
        SequenceOutput o = run(Shapes.reshape(xt, batch, 1, xt.dim(1)), state, null);
        return new SequenceOutput(Shapes.reshape(o.output(), batch, config.outputs()), o.state());
    }

    private SequenceOutput run(Tensor x, RecurrentState initial, Recording recording) {
        checkOpen();
        if (x.rank() != 3 || x.dim(2) != config.inputs())
            throw new IllegalArgumentException("LSNN: input must be (batch, time, " + config.inputs() + "), got " + x.shape());
        checkStateParts(initial);
        int batch = x.dim(0), steps = x.dim(1), n = config.neurons();
        var backend = x.backend();
        Tensor v, b, z, y;
        int[] refractory = new int[batch * n];
        if (initial == null) {
            v = backend.zeros(Shape.of(batch, n));
            b = backend.zeros(Shape.of(batch, n));
            z = backend.zeros(Shape.of(batch, n));
            y = backend.zeros(Shape.of(batch, config.outputs()));
        } else {
            v = initial.part(0);
            b = initial.part(1);
            z = initial.part(2);
            float[] r = initial.part(3).toFloatArray();
            for (int i = 0; i < r.length; i++) refractory[i] = Math.round(r[i]);
            y = initial.part(4);
        }
        float[] zHost = z.toFloatArray();
        Tensor wRec = cell.recurrent() == null ? null
                : Arith.mul(cell.recurrent().get(), backend.fromArray(SpikingWeights.offDiagonal(n), Shape.of(n, n)));
        float[] betaOverThr = new float[n];
        for (int j = 0; j < n; j++) betaOverThr[j] = (float) (config.betaOf(j) / config.threshold());
        Tensor betaScaled = backend.fromArray(betaOverThr, Shape.of(n));
        float alpha = (float) config.alpha(), rho = (float) config.rho(), kappa = (float) config.kappa(), thr = (float) config.threshold();
        List<Tensor> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Tensor xt = Shapes.reshape(Shapes.slice(x, 1, t, t + 1), batch, config.inputs());
            Tensor current = MatMul.linear(xt, cell.input().get(), null);
            if (wRec != null) current = Arith.add(current, MatMul.linear(z, wRec, null));
            Tensor reset = config.detachReset() ? backend.fromArray(zHost, Shape.of(batch, n)) : z;
            v = Arith.sub(Arith.add(Arith.mulScalar(v, alpha), Arith.mulScalar(current, 1 - alpha)), Arith.mulScalar(reset, thr));
            b = Arith.add(Arith.mulScalar(b, rho), z);
            Tensor scaled = Arith.sub(Arith.addScalar(Arith.mulScalar(v, 1 / thr), -1f), Arith.mul(b, betaScaled));
            boolean[] frozen = new boolean[batch * n];
            for (int i = 0; i < frozen.length; i++) frozen[i] = refractory[i] > 0;
            z = SpikeFunction.apply(scaled, frozen, config.gamma());
            zHost = z.toFloatArray();
            for (int i = 0; i < refractory.length; i++)
                refractory[i] = zHost[i] != 0f ? config.refractorySteps() : Math.max(0, refractory[i] - 1);
            y = Arith.add(Arith.mulScalar(y, kappa), MatMul.linear(z, readout.weight().get(), readout.bias().get()));
            outputs.add(Shapes.reshape(y, batch, 1, config.outputs()));
            if (recording != null) record(recording, v, b, zHost, n);
        }
        float[] r = new float[refractory.length];
        for (int i = 0; i < r.length; i++) r[i] = refractory[i];
        RecurrentState last = RecurrentState.of(v, b, z, backend.fromArray(r, Shape.of(batch, n)), y);
        return new SequenceOutput(Shapes.concat(outputs, 1), last);
    }

    private void record(Recording recording, Tensor v, Tensor b, float[] z, int n) {
        float[] vs = v.toFloatArray(), bs = b.toFloatArray(), thresholds = new float[bs.length];
        for (int i = 0; i < bs.length; i++) thresholds[i] = (float) (config.threshold() + config.betaOf(i % n) * bs[i]);
        recording.voltages().add(vs);
        recording.thresholds().add(thresholds);
        recording.spikes().add(z.clone());
    }
}
