package io.recur.nn;

import io.recur.nn.griffin.Griffin;
import io.recur.nn.griffin.GriffinConfig;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaMixer;
import io.recur.nn.mamba.SsmConfig;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model registry: a model type names either the backbone that {@link #create} puts between the
 * input layer and the head ("lstm", "gru", "lru", "mamba", "mamba-lti"; {@link #register}) or a whole
 * language model with its own embedding and head ("hawk", "griffin"; {@link #registerWhole}).
 * config.json's model_type picks them when a checkpoint loads.
 *
 * <p>Hawk and Griffin are recurrentgemma's models (embedder.input_embedding, blocks.{i}.…,
 * final_norm): width = d_model, depth = n_layer, num_heads = the largest h ≤ max(1, d_model / 32)
 * that divides d_model (for Griffin also into heads a multiple of 4 wide), Griffin's local
 * attention window {@link #ATTENTION_WINDOW}. They read tokens only, and their head is always the
 * embedding (tie_embeddings, state_size and norm_epsilon do not apply).
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
        registerWhole(GriffinConfig.HAWK, (init, c) ->
                new Griffin(init, GriffinConfig.hawk(languageModelVocab(c), c.dModel(), c.nLayer(), heads(c.dModel(), false))));
        registerWhole(GriffinConfig.GRIFFIN, (init, c) ->
                new Griffin(init, GriffinConfig.griffin(languageModelVocab(c), c.dModel(), c.nLayer(), heads(c.dModel(), true), ATTENTION_WINDOW)));
    }

    /** The vocabulary of a model that reads tokens and predicts them through its embedding. */
    private static int languageModelVocab(ModelConfig c) {
        if (!c.tokenInputs() || c.outputSize() != c.vocabSize())
            throw new IllegalArgumentException(c.modelType() + " needs a token task whose outputs are its vocabulary (hawk/griffin read token ids and"
                    + " tie the head to the embedding), got " + (c.tokenInputs() ? "vocab_size " + c.vocabSize() : "input_features " + c.inputFeatures())
                    + " and output_size " + c.outputSize());
        return c.vocabSize();
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
        FACTORIES.put(modelType.toLowerCase(Locale.ROOT), (init, c) -> new SequenceModel(init, c, factory.create(init, c)));
    }

    /** Adds (or replaces) a model type that is a whole model, with its own input layer and head. */
    public static void registerWhole(String modelType, WholeModelFactory factory) {
        FACTORIES.put(modelType.toLowerCase(Locale.ROOT), (init, c) -> new SequenceModel(c, factory.create(init, c)));
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
