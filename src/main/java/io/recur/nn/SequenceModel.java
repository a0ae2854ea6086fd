package io.recur.nn;

import io.recur.ops.MatMul;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;
import java.util.Map;

/**
 * A whole sequence model in the layout of mamba_ssm's MambaLMHeadModel: backbone.embedding (or
 * backbone.input_proj for feature inputs) → the backbone's layers, ending in its final norm
 * (backbone.layers.{i}.*, backbone.norm_f) → lm_head, whose weight is the embedding's when tied
 * (and then not stored twice). {@link #forward} reads whole sequences for training; {@link #step}
 * reads one position and carries the recurrent state, for generation without re-reading the past.
 *
 * <p>A whole language model that brings its own embedding and head (Hawk and Griffin on token tasks
 * whose outputs are the vocabulary, see {@link io.recur.models.Models}; a MambaLM read from a mamba_ssm checkpoint:
 * {@link #ofWhole}) is wrapped as it is: its children sit at the top level under their own names
 * (embedder.…, blocks.…, final_norm.…; backbone.…), and forward and step are its own.
 */
public final class SequenceModel extends Module {
    /** Input layer plus the body's own children, adopted so their names sit directly under "backbone". */
    private static final class Backbone extends Module {
        final Layer input;
        final SequenceLayer body;

        Backbone(Initializer init, ModelConfig config, SequenceLayer body) {
            input = config.tokenInputs()
                    ? child("embedding", new Embedding(init, config.vocabSize(), config.dModel()))
                    : child("input_proj", new Linear(init, config.inputFeatures(), config.dModel(), true));
            this.body = adopt(this, body, config);
        }
    }

    /** Makes body's children into's, under the same names; body must keep all its parameters in them. */
    private static SequenceLayer adopt(Module into, SequenceLayer body, ModelConfig config) {
        long adopted = 0;
        for (Map.Entry<String, Module> c : body.children().entrySet()) {
            into.child(c.getKey(), c.getValue());
            adopted += c.getValue().parameterCount();
        }
        if (adopted != body.parameterCount())
            throw new IllegalArgumentException(config.modelType() + ": a model must keep its parameters in submodules (they are adopted by name)");
        return body;
    }

    private final ModelConfig config;
    private final Backbone backbone;   // null for a whole model
    private final Linear head;         // null when tied to the embedding, or for a whole model
    private final SequenceLayer whole; // null for a backbone model

    /** {@code body} maps (batch, time, d_model) to the same and ends with its final norm. */
    private SequenceModel(Initializer init, ModelConfig config, SequenceLayer body) {
        this.config = config;
        this.backbone = child("backbone", new Backbone(init, config, body));
        this.head = config.tieEmbeddings() ? null : child("lm_head", new Linear(init, config.dModel(), config.outputSize(), false));
        this.whole = null;
    }

    /** {@code model} maps the inputs to outputs (batch, time, output_size) itself. */
    private SequenceModel(ModelConfig config, SequenceLayer model) {
        this.config = config;
        this.backbone = null;
        this.head = null;
        this.whole = adopt(this, model, config);
    }

    /**
     * A whole model built elsewhere (e.g. read from another program's checkpoint), described by
     * {@code config}; takes ownership of it. Its parameters must live in its submodules.
     */
    public static SequenceModel ofWhole(ModelConfig config, SequenceLayer model) { return new SequenceModel(config, model); }

    /**
     * The config's input layer (embedding or projection), then {@code body}, then its head (or the
     * tied embedding); takes ownership of body, which maps (batch, time, d_model) to the same and
     * ends with its final norm.
     */
    public static SequenceModel ofBackbone(Initializer init, ModelConfig config, SequenceLayer body) { return new SequenceModel(init, config, body); }

    public ModelConfig config() { return config; }

    /** Number of tensors in the recurrent state. */
    public int stateParts() { return whole != null ? whole.stateParts() : backbone.body.stateParts(); }

    /**
     * Outputs (batch, time, output_size) for inputs: int32 ids (batch, time) or float32 features
     * (batch, time, input_features); from a zero state when {@code initial} is null.
     */
    public SequenceOutput forward(Tensor inputs, RecurrentState initial) {
        checkInputs(inputs, 2);
        if (whole != null) return whole.forward(inputs, initial);
        SequenceOutput o = backbone.body.forward(backbone.input.forward(inputs), initial);
        return new SequenceOutput(project(o.output()), o.state());
    }

    public Tensor forward(Tensor inputs) { return forward(inputs, null).output(); }

    /** One position: ids (batch) or features (batch, input_features) → outputs (batch, output_size) and the next state. */
    public SequenceOutput step(Tensor inputs, RecurrentState state) {
        checkInputs(inputs, 1);
        if (whole != null) return whole.step(inputs, state);
        SequenceOutput o = backbone.body.step(backbone.input.forward(inputs), state);
        return new SequenceOutput(project(o.output()), o.state());
    }

    private Tensor project(Tensor hidden) {
        if (head != null) return head.forward(hidden);
        return MatMul.linear(hidden, ((Embedding) backbone.input).weight().get(), null);
    }

    private void checkInputs(Tensor inputs, int tokenRank) {
        checkOpen();
        String what = tokenRank == 2 ? "a sequence" : "a step";
        if (config.tokenInputs()) {
            if (inputs.dtype() != DType.I32 || inputs.rank() != tokenRank)
                throw new IllegalArgumentException(config.modelType() + ": " + what + " of token ids must be int32 " + (tokenRank == 2 ? "(batch, time)" : "(batch)")
                        + ", got " + inputs.dtype() + " " + inputs.shape());
        } else if (inputs.dtype() != DType.F32 || inputs.rank() != tokenRank + 1 || inputs.shape().last() != config.inputFeatures()) {
            throw new IllegalArgumentException(config.modelType() + ": " + what + " of features must be float32 " + (tokenRank == 2 ? "(batch, time, " : "(batch, ")
                    + config.inputFeatures() + "), got " + inputs.dtype() + " " + inputs.shape());
        }
    }
}
