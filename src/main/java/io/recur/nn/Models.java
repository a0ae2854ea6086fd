package io.recur.nn;

import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaMixer;
import io.recur.nn.mamba.SsmConfig;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model registry: a model type ("lstm", "gru", "lru", "mamba", "mamba-lti"; later "hawk", "griffin") names
 * the backbone that {@link #create} puts between the input layer and the head. New families plug
 * in with {@link #register}; config.json's model_type picks them when a checkpoint loads.
 */
public final class Models {
    /** Builds a backbone from a config: (batch, time, d_model) → the same, ending with its final norm. */
    @FunctionalInterface
    public interface BackboneFactory { SequenceLayer create(Initializer init, ModelConfig config); }

    private static final Map<String, BackboneFactory> FACTORIES = Collections.synchronizedMap(new TreeMap<>());

    static {
        register("lstm", (init, c) -> stack(init, c, (in, d, i) -> new LSTM(in, new RecurrentConfig(d, d, 1, true, true))));
        register("gru", (init, c) -> stack(init, c, (in, d, i) -> new GRU(in, new RecurrentConfig(d, d, 1, true, true))));
        register("lru", (init, c) -> stack(init, c, (in, d, i) -> new LRU(in, LRUConfig.of(d, c.stateSize()))));
        // Mamba's blocks are these pre-norm residual blocks around its mixer, with the same names.
        register("mamba", (init, c) -> stack(init, c, (in, d, i) -> new MambaMixer(in, mamba(c, true))));
        register("mamba-lti", (init, c) -> stack(init, c, (in, d, i) -> new MambaMixer(in, mamba(c, false))));
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

    /** Adds (or replaces) a model type. */
    public static void register(String modelType, BackboneFactory factory) {
        FACTORIES.put(modelType.toLowerCase(Locale.ROOT), factory);
    }

    /** The registered model types, sorted. */
    public static Set<String> names() {
        synchronized (FACTORIES) { return Set.copyOf(FACTORIES.keySet()); }
    }

    /** A fresh model with parameters drawn from init; an unknown type lists the known ones. */
    public static SequenceModel create(ModelConfig config, Initializer init) {
        BackboneFactory f = FACTORIES.get(config.modelType().toLowerCase(Locale.ROOT));
        if (f == null) throw new IllegalArgumentException("unknown model '" + config.modelType() + "': known models are " + String.join(", ", new TreeMap<>(FACTORIES).keySet()));
        return new SequenceModel(init, config, f.create(init, config));
    }
}
