package io.recur.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.io.JsonFiles;
import io.recur.nn.ModelConfig;
import io.recur.models.Models;
import io.recur.nn.mamba.MambaConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The config.json of a model checkpoint, in the layouts `recur eval` and `recur generate` read:
 * this project's ({@link ModelConfig}: model_type, d_model, n_layer, …), mamba_ssm's MambaConfig
 * (d_model, n_layer, vocab_size, ssm_cfg, … and no model_type) and HF transformers' (model_type
 * "mamba", hidden_size, num_hidden_layers, state_size, …). A "mamba" or "mamba-lti" model trained
 * here writes mamba_ssm's keys beside its own, so a mamba_ssm user finds ssm_cfg, rms_norm,
 * pad_vocab_size_multiple and tie_embeddings where they expect them.
 */
public final class CheckpointConfig {
    /** Who wrote a config.json. */
    public enum Layout { RECUR, MAMBA_SSM, TRANSFORMERS }

    /** mamba_ssm's keys that a Mamba trained here also writes (tie_embeddings is one of its own keys). */
    private static final List<String> MAMBA_SSM_KEYS = List.of("ssm_cfg", "rms_norm", "residual_in_fp32", "fused_add_norm", "pad_vocab_size_multiple");

    /** Equal trees, where 1 and 1.0 are the same number (a hand-edited file may write either). */
    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) ->
            a.equals(b) || (a.isNumber() && b.isNumber() && a.asDouble() == b.asDouble()) ? 0 : 1;

    private CheckpointConfig() {}

    /**
     * The layout of a config.json tree: model_type with hidden_size is transformers' (and must be
     * "mamba"), model_type alone this project's, d_model or ssm_cfg without model_type mamba_ssm's.
     */
    public static Layout layout(JsonNode json, Path file) throws IOException {
        if (!json.isObject()) throw new IOException(file + " must hold a JSON object, got " + json.getNodeType());
        if (json.has("model_type") && json.has("hidden_size")) {
            String type = json.get("model_type").asText();
            if (!type.equals(MambaConfig.NAME))
                throw new IOException(file + " is an HF transformers config for model_type \"" + type + "\"; only \"mamba\" checkpoints are read");
            return Layout.TRANSFORMERS;
        }
        if (json.has("model_type")) return Layout.RECUR;
        if (json.has("d_model") || json.has("ssm_cfg")) return Layout.MAMBA_SSM;
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        throw new IOException(file + " is not a model config read here: expected model_type, d_model, n_layer, … (written by recur train),"
                + " d_model, n_layer, vocab_size, ssm_cfg (mamba_ssm) or model_type \"mamba\" with hidden_size, num_hidden_layers, vocab_size"
                + " (HF transformers); its keys are " + keys);
    }

    /** What a checkpoint of this model writes: its own keys and, for a Mamba, mamba_ssm's. */
    public static JsonNode toJson(ModelConfig config) {
        ObjectNode json = (ObjectNode) JsonFiles.toTree(config);
        JsonNode reference = referenceKeys(config);
        if (reference != null) MAMBA_SSM_KEYS.forEach(k -> json.set(k, reference.get(k)));
        return json;
    }

    /**
     * A config.json tree in this project's layout; a Mamba's mamba_ssm keys are optional (older
     * checkpoints lack them) but must say what its own keys say, since only those build the model.
     */
    public static ModelConfig read(JsonNode json, Path file) throws IOException {
        if (!(json instanceof ObjectNode object)) throw new IOException(file + " must hold a JSON object, got " + json.getNodeType());
        ModelConfig config = JsonFiles.fromTree(object.deepCopy().without(MAMBA_SSM_KEYS), ModelConfig.class, file.toString());
        JsonNode reference = referenceKeys(config);
        if (reference == null) {
            // not a Mamba: the keys are no setting of this model, so they are reported like any unknown key
            for (String k : MAMBA_SSM_KEYS)
                if (json.has(k)) throw new IOException(file + " does not describe a ModelConfig: key \"" + k + "\" is mamba_ssm's, not " + config.modelType() + "'s");
            return config;
        }
        for (String k : MAMBA_SSM_KEYS)
            if (json.has(k) && !json.get(k).equals(SAME_NUMBER, reference.get(k)))
                throw new IOException(file + ": \"" + k + "\" is " + json.get(k) + " but this " + config.modelType() + " (d_model, state_size, …) has "
                        + reference.get(k) + "; the mamba_ssm keys describe the model for other tools and must agree with recur's own keys");
        return config;
    }

    /**
     * How a Mamba read from a mamba_ssm or transformers checkpoint is described here: a token
     * model whose vocabulary and outputs are the padded vocabulary (the width of its logits).
     */
    public static ModelConfig of(MambaConfig mamba) {
        int vocab = mamba.paddedVocabSize();
        return new ModelConfig(MambaConfig.NAME, mamba.dModel(), mamba.nLayer(), mamba.ssmCfg().dState(), vocab, 0, vocab, mamba.tieEmbeddings(), 1e-5);
    }

    /** mamba_ssm's keys for a Mamba trained here; null for other models. */
    private static JsonNode referenceKeys(ModelConfig config) {
        MambaConfig mamba = Models.mambaReference(config);
        return mamba == null ? null : JsonFiles.toTree(mamba);
    }
}
