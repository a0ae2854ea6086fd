package io.recur.nn;

import io.recur.ops.Arith;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-norm residual blocks around any sequence mixer, the layout of mamba_ssm's backbone:
 * x ← x + mixer(RMSNorm(x)) per block, then a final RMSNorm. Names: layers.{i}.norm,
 * layers.{i}.mixer.*, norm_f. Input and output (batch, time, d_model); the mixers must be
 * batch-first and keep d_model. The state is the blocks' states concatenated in order.
 */
public final class ResidualStack extends SequenceLayer {
    /** Builds block i's mixer. */
    @FunctionalInterface
    public interface MixerFactory { SequenceLayer create(Initializer init, int dModel, int layer); }

    private static final class Block extends Module {
        final RMSNorm norm;
        final SequenceLayer mixer;

        Block(Initializer init, int dModel, float eps, SequenceLayer mixer) {
            norm = child("norm", new RMSNorm(init, dModel, eps));
            this.mixer = child("mixer", mixer);
        }
    }

    private final ModuleList<Block> layers;
    private final RMSNorm normF;
    private final int parts;

    public ResidualStack(Initializer init, int dModel, int nLayers, float eps, MixerFactory mixers) {
        List<Block> blocks = new ArrayList<>();
        int p = 0;
        for (int i = 0; i < nLayers; i++) {
            Block b = new Block(init, dModel, eps, mixers.create(init, dModel, i));
            p += b.mixer.stateParts();
            blocks.add(b);
        }
        layers = child("layers", new ModuleList<>(blocks));
        normF = child("norm_f", new RMSNorm(init, dModel, eps));
        parts = p;
    }

    /** LSTM mixers (one layer each, d_model wide, batch-first). */
    public static ResidualStack lstm(Initializer init, int dModel, int nLayers) {
        return new ResidualStack(init, dModel, nLayers, 1e-5f, (in, d, i) -> new LSTM(in, new RecurrentConfig(d, d, 1, true, true)));
    }

    /** GRU mixers (one layer each, d_model wide, batch-first). */
    public static ResidualStack gru(Initializer init, int dModel, int nLayers) {
        return new ResidualStack(init, dModel, nLayers, 1e-5f, (in, d, i) -> new GRU(in, new RecurrentConfig(d, d, 1, true, true)));
    }

    /** LRU mixers with the given state size. */
    public static ResidualStack lru(Initializer init, int dModel, int nLayers, int stateSize) {
        return new ResidualStack(init, dModel, nLayers, 1e-5f, (in, d, i) -> new LRU(in, LRUConfig.of(d, stateSize)));
    }

    @Override public int stateParts() { return parts; }

    @Override
    public SequenceOutput forward(Tensor x, RecurrentState initial) { return run(x, initial, false); }

    @Override
    public SequenceOutput step(Tensor xt, RecurrentState state) { return run(xt, state, true); }

    private SequenceOutput run(Tensor x, RecurrentState initial, boolean oneStep) {
        checkOpen();
        checkStateParts(initial);
        List<Tensor> finals = new ArrayList<>();
        int at = 0;
        for (Block b : layers) {
            int n = b.mixer.stateParts();
            RecurrentState s = initial == null ? null : initial.sub(at, n);
            Tensor normed = b.norm.forward(x);
            SequenceOutput o = oneStep ? b.mixer.step(normed, s) : b.mixer.forward(normed, s);
            x = Arith.add(x, o.output());
            finals.addAll(o.state().parts());
            at += n;
        }
        return new SequenceOutput(normF.forward(x), new RecurrentState(finals));
    }
}
