package io.recur.nn;

import io.recur.ops.MatMul;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What torch.nn.LSTM and torch.nn.GRU share: per layer k the parameters weight_ih_l{k}
 * (gates·hidden, input), weight_hh_l{k} (gates·hidden, hidden), bias_ih_l{k}, bias_hh_l{k}, all
 * U(-1/sqrt(hidden), 1/sqrt(hidden)); input (T, B, input) or with batch_first (B, T, input); state
 * parts (num_layers, B, hidden). A layer projects all its inputs with one GEMM, then steps the
 * subclass's cell over time; its outputs are the next layer's input.
 */
public abstract class TorchRecurrent extends SequenceLayer {
    private final RecurrentConfig config;
    private final int gates;
    private final List<Param[]> layers = new ArrayList<>();
    private TimeEvaluation evaluation;

    protected TorchRecurrent(Initializer init, RecurrentConfig config, int gates) {
        this.config = config;
        this.gates = gates;
        int h = config.hiddenSize();
        double bound = 1 / Math.sqrt(h);
        for (int k = 0; k < config.numLayers(); k++) {
            int in = k == 0 ? config.inputSize() : h;
            Param wIh = parameter("weight_ih_l" + k, init.uniform(Shape.of(gates * h, in), bound));
            Param wHh = parameter("weight_hh_l" + k, init.uniform(Shape.of(gates * h, h), bound));
            Param bIh = config.bias() ? parameter("bias_ih_l" + k, init.uniform(Shape.of(gates * h), bound)) : null;
            Param bHh = config.bias() ? parameter("bias_hh_l" + k, init.uniform(Shape.of(gates * h), bound)) : null;
            layers.add(new Param[] {wIh, wHh, bIh, bHh});
        }
    }

    public RecurrentConfig config() { return config; }

    /** Runs whole sequences with the given evaluation instead of step by step; null restores the default. */
    public TorchRecurrent evaluation(TimeEvaluation e) {
        this.evaluation = e;
        return this;
    }

    /** The evaluation set by {@link #evaluation(TimeEvaluation)}, or null (step by step). */
    public TimeEvaluation evaluation() { return evaluation; }

    /** Layer k's weight_ih, weight_hh, bias_ih, bias_hh (biases null without bias), gates in torch's order. */
    public Tensor[] layerWeights(int k) {
        Param[] w = layers.get(k);
        Tensor[] out = new Tensor[w.length];
        for (int i = 0; i < w.length; i++) out[i] = w[i] == null ? null : w[i].get();
        return out;
    }

    /**
     * One step of one layer: from the input gates x W_ihᵀ + b_ih (B, gates·hidden) and the layer's
     * state parts (each (B, hidden)), the new parts; part 0 is the layer's output h.
     */
    protected abstract Tensor[] cell(Tensor inputGates, Tensor[] state, Tensor weightHh, Tensor biasHh);

    @Override
    public SequenceOutput forward(Tensor x, RecurrentState initial) {
        String name = getClass().getSimpleName();
        checkOpen();
        if (x.rank() != 3 || x.dim(2) != config.inputSize())
            throw new IllegalArgumentException(name + ": input must be " + (config.batchFirst() ? "(batch, time, " : "(time, batch, ")
                    + config.inputSize() + "), got " + x.shape());
        Tensor seq = config.batchFirst() ? Shapes.transpose(x, 0, 1) : x;
        int batch = seq.dim(1), h = config.hiddenSize();
        checkInitial(initial, batch);
        List<List<Tensor>> finals = new ArrayList<>();
        for (int p = 0; p < stateParts(); p++) finals.add(new ArrayList<>());
        for (int k = 0; k < layers.size(); k++) {
            Param[] w = layers.get(k);
            Tensor[] state = new Tensor[stateParts()];
            for (int p = 0; p < state.length; p++)
                state[p] = initial == null ? x.backend().zeros(Shape.of(batch, h))
                        : Shapes.reshape(Shapes.slice(initial.part(p), 0, k, k + 1), batch, h);
            if (evaluation != null && seq.dim(0) > 1) {
                Tensor[] whole = evaluation.run(this, k, seq, state);
                seq = whole[0];
                for (int p = 0; p < state.length; p++) finals.get(p).add(whole[p + 1]);
                continue;
            }
            Tensor projected = MatMul.linear(seq, w[0].get(), w[2] == null ? null : w[2].get());
            List<Tensor> outputs = new ArrayList<>(seq.dim(0));
            for (Tensor gatesT : TimeSteps.unbind(projected)) {
                state = cell(gatesT, state, w[1].get(), w[3] == null ? null : w[3].get());
                outputs.add(state[0]);
            }
            seq = TimeSteps.stack(outputs);
            for (int p = 0; p < state.length; p++) finals.get(p).add(state[p]);
        }
        List<Tensor> parts = new ArrayList<>();
        for (List<Tensor> perLayer : finals) parts.add(TimeSteps.stack(perLayer));
        return new SequenceOutput(config.batchFirst() ? Shapes.transpose(seq, 0, 1) : seq, new RecurrentState(parts));
    }

    /** x_t (batch, input) → output (batch, hidden) and the next state. */
    @Override
    public SequenceOutput step(Tensor xt, RecurrentState state) {
        if (xt.rank() != 2)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a step takes (batch, " + config.inputSize() + "), got " + xt.shape());
        int batch = xt.dim(0);
        Tensor x = config.batchFirst() ? Shapes.reshape(xt, batch, 1, xt.dim(1)) : Shapes.reshape(xt, 1, batch, xt.dim(1));
        SequenceOutput o = forward(x, state);
        return new SequenceOutput(Shapes.reshape(o.output(), batch, config.hiddenSize()), o.state());
    }

    private void checkInitial(RecurrentState initial, int batch) {
        checkStateParts(initial);
        if (initial == null) return;
        Shape expected = Shape.of(config.numLayers(), batch, config.hiddenSize());
        for (int p = 0; p < initial.size(); p++)
            if (!initial.part(p).shape().equals(expected))
                throw new IllegalArgumentException(getClass().getSimpleName() + ": initial state part " + p + " must be (num_layers, batch, hidden) = "
                        + expected + ", got " + initial.part(p).shape());
    }
}
