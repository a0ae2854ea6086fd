package io.recur.models;

import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.LRU;
import io.recur.nn.LRUConfig;
import io.recur.nn.LSTM;
import io.recur.nn.ModelConfig;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.ResidualStack;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceModel;
import io.recur.nn.griffin.Griffin;
import io.recur.nn.griffin.GriffinBlocks;
import io.recur.nn.griffin.GriffinConfig;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaMixer;
import io.recur.nn.mamba.SsmConfig;
import io.recur.snn.Lsnn;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model registry: a model type names either the backbone that {@link #create} puts between the
 * input layer and the head ("lstm", "gru", "lru", "mamba", "mamba-lti"; {@link #register}), a whole
 * model with its own input layer and head ({@link #registerWhole}), or both, picked by the task
 * ("hawk", "griffin"; {@link #register(String, WholeModelFactory, BackboneFactory)}).
 * config.json's model_type and sizes pick them again when a checkpoint loads.
 *
 * <p>Hawk and Griffin are recurrentgemma's models: width = d_model, depth = n_layer, num_heads = the
 * largest h ≤ max(1, d_model / 32) that divides d_model (for Griffin also into heads a multiple of 4
 * wide), Griffin's local attention window {@link #ATTENTION_WINDOW}; state_size and norm_epsilon do
 * not apply (their norms are recurrentgemma's). On a token task whose outputs are its vocabulary
 * (vocab_size == output_size) they are the whole language model with the reference's names
 * (embedder.input_embedding, blocks.{i}.…, final_norm) and the head always tied to the embedding,
 * whatever tie_embeddings says, as checkpoints have always had it. On any other task (features such
 * as sMNIST and adding, or tokens in and classes out) the same blocks and final norm
 * ({@link GriffinBlocks}) are a backbone: backbone.input_proj or backbone.embedding,
 * backbone.blocks.{i}.…, backbone.final_norm, and an untied lm_head.
 */
public final class Models {
    /** Builds a backbone from a config: (batch, time, d_model) → the same, ending with its final norm. */
    @FunctionalInterface
    public interface BackboneFactory { SequenceLayer create(Initializer init, ModelConfig config); }

    /**
     * Builds a whole model from a config: inputs (batch, time) → outputs (batch, time, output_size),
     * and a step: inputs (batch) → (batch, output_size); its parameters live in its submodules.
     */
    @FunctionalInterface
    public interface WholeModelFactory { SequenceLayer create(Initializer init, ModelConfig config); }

    /** Griffin's local attention looks back this many positions (the reference uses 2048; the tasks here are short). */
    public static final int ATTENTION_WINDOW = 64;

    private static final String MAMBA = "mamba", MAMBA_LTI = "mamba-lti";

    private interface Factory { SequenceModel create(Initializer init, ModelConfig config); }

    private static final Map<String, Factory> FACTORIES = Collections.synchronizedMap(new TreeMap<>());

    static {
        register("lstm", (init, c) -> stack(init, c, (in, d, i) -> new LSTM(in, new RecurrentConfig(d, d, 1, true, true))));
        register("gru", (init, c) -> stack(init, c, (in, d, i) -> new GRU(in, new RecurrentConfig(d, d, 1, true, true))));
        register("lru", (init, c) -> stack(init, c, (in, d, i) -> new LRU(in, LRUConfig.of(d, c.stateSize()))));
        // Mamba's blocks are these pre-norm residual blocks around its mixer, with the same names.
        register(MAMBA, (init, c) -> stack(init, c, (in, d, i) -> new MambaMixer(in, mamba(c, true))));
        register(MAMBA_LTI, (init, c) -> stack(init, c, (in, d, i) -> new MambaMixer(in, mamba(c, false))));
        register(GriffinConfig.HAWK, (init, c) -> new Griffin(init, hawk(c)), (init, c) -> new GriffinBlocks(init, hawk(c)));
        register(GriffinConfig.GRIFFIN, (init, c) -> new Griffin(init, griffin(c)), (init, c) -> new GriffinBlocks(init, griffin(c)));
        // A spiking network reads its inputs through its own synapses and has a leaky readout for a head.
        registerWhole(Lsnn.MODEL_TYPE, (init, c) -> new Lsnn(init, Lsnn.configFor(c)));
    }

    /** A task a whole language model fits: token ids in, scores over the same vocabulary out. */
    private static boolean languageModelTask(ModelConfig c) { return c.tokenInputs() && c.outputSize() == c.vocabSize(); }

    /** Hawk's sizes from a generic config; a backbone has no vocabulary of its own (1 stands in). */
    private static GriffinConfig hawk(ModelConfig c) {
        return GriffinConfig.hawk(Math.max(1, c.vocabSize()), c.dModel(), c.nLayer(), heads(c.dModel(), false));
    }

    private static GriffinConfig griffin(ModelConfig c) {
        return GriffinConfig.griffin(Math.max(1, c.vocabSize()), c.dModel(), c.nLayer(), heads(c.dModel(), true), ATTENTION_WINDOW);
    }

    /** The largest h <= max(1, width / 32) that divides width, into heads a multiple of 4 wide where attention needs it. */
    static int heads(int width, boolean attention) {
        for (int h = Math.max(1, width / 32); h > 1; h--)
            if (width % h == 0 && (!attention || (width / h) % 4 == 0)) return h;
        return 1;
    }

    /**
     * What mamba_ssm's MambaConfig would say of a "mamba" or "mamba-lti" model (its mixers' settings,
     * the unpadded vocabulary), for the reference keys of its config.json; null for other model types.
     */
    public static MambaConfig mambaReference(ModelConfig c) {
        return switch (c.modelType().toLowerCase(Locale.ROOT)) {
            case MAMBA -> mamba(c, true).withPadVocabSizeMultiple(1);
            case MAMBA_LTI -> mamba(c, false).withPadVocabSizeMultiple(1);
            default -> null;
        };
    }

    /** The mixer's settings from a generic config: d_state = state_size; selective false is the LTI ablation. */
    private static MambaConfig mamba(ModelConfig c, boolean selective) {
        SsmConfig d = SsmConfig.defaults();
        SsmConfig ssm = new SsmConfig(c.stateSize(), d.dConv(), d.expand(), d.dtRank(), d.dtMin(), d.dtMax(), d.dtInitFloor(),
                d.dtScale(), d.convBias(), d.bias(), selective);
        return MambaConfig.of(c.dModel(), c.nLayer(), Math.max(1, c.vocabSize())).withSsm(ssm);
    }

    private Models() {}

    private static ResidualStack stack(Initializer init, ModelConfig c, ResidualStack.MixerFactory mixers) {
        return new ResidualStack(init, c.dModel(), c.nLayer(), (float) c.normEpsilon(), mixers);
    }

    /** Adds (or replaces) a model type made of a backbone between the input layer and the head. */
    public static void register(String modelType, BackboneFactory factory) {
        FACTORIES.put(modelType.toLowerCase(Locale.ROOT), (init, c) -> SequenceModel.ofBackbone(init, c, factory.create(init, c)));
    }

    /** Adds (or replaces) a model type that is a whole model, with its own input layer and head. */
    public static void registerWhole(String modelType, WholeModelFactory factory) {
        FACTORIES.put(modelType.toLowerCase(Locale.ROOT), (init, c) -> SequenceModel.ofWhole(c, factory.create(init, c)));
    }

    /**
     * Adds (or replaces) a model type that is a whole language model on token tasks whose outputs are
     * its vocabulary, and a backbone between the input layer and the head on every other task.
     */
    public static void register(String modelType, WholeModelFactory whole, BackboneFactory backbone) {
        FACTORIES.put(modelType.toLowerCase(Locale.ROOT), (init, c) -> languageModelTask(c)
                ? SequenceModel.ofWhole(c, whole.create(init, c))
                : SequenceModel.ofBackbone(init, c, backbone.create(init, c)));
    }

    /** The registered model types, sorted. */
    public static Set<String> names() {
        synchronized (FACTORIES) { return Set.copyOf(FACTORIES.keySet()); }
    }

    /** A fresh model with parameters drawn from init; an unknown type lists the known ones. */
    public static SequenceModel create(ModelConfig config, Initializer init) {
        Factory f = FACTORIES.get(config.modelType().toLowerCase(Locale.ROOT));
        if (f == null) throw new IllegalArgumentException("unknown model '" + config.modelType() + "': known models are " + String.join(", ", new TreeMap<>(FACTORIES).keySet()));
        return f.create(init, config);
    }
}
