package io.recur.nn.mamba;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a Mamba config.json written by mamba_ssm (d_model, n_layer, ssm_cfg, …) or by HF
 * transformers' MambaConfig (hidden_size, num_hidden_layers, state_size, …). Absent keys take
 * mamba_ssm's defaults; keys that describe nothing this model has (architectures, model_type,
 * torch_dtype, bos_token_id, …) are ignored, since HF tools add them freely. Settings it cannot
 * honour (LayerNorm blocks, attention layers, Mamba-2, untied heads) are errors naming the key.
 */
final class MambaConfigJson {
    private MambaConfigJson() {}

    static MambaConfig parse(JsonNode json) {
        if (json == null || !json.isObject()) throw new IllegalArgumentException("mamba config.json must be a JSON object, got " + json);
        return json.has("hidden_size") && !json.has("d_model") ? transformers(json) : mambaSsm(json);
    }

    private static MambaConfig mambaSsm(JsonNode j) {
        JsonNode attn = j.get("attn_layer_idx");
        if (attn != null && attn.isArray() && !attn.isEmpty())
            throw new IllegalArgumentException("mamba config: attn_layer_idx " + attn + " asks for attention layers, which this model does not have");
        SsmConfig d = SsmConfig.defaults();
        JsonNode s = j.path("ssm_cfg");
        if (!s.isMissingNode() && !s.isNull() && !s.isObject()) throw new IllegalArgumentException("mamba config: ssm_cfg must be an object, got " + s);
        String layer = s.path("layer").asText("Mamba1");
        if (!layer.equals("Mamba1")) throw new IllegalArgumentException("mamba config: ssm_cfg.layer " + layer + " is not supported (only Mamba1)");
        String dtInit = s.path("dt_init").asText("random");
        if (!dtInit.equals("random") && !dtInit.equals("constant"))
            throw new IllegalArgumentException("mamba config: ssm_cfg.dt_init must be \"random\" or \"constant\", got " + dtInit);
        SsmConfig ssm = new SsmConfig(integer(s, "ssm_cfg.d_state", d.dState()), integer(s, "ssm_cfg.d_conv", d.dConv()),
                integer(s, "ssm_cfg.expand", d.expand()), dtRank(s.get("dt_rank")), number(s, "ssm_cfg.dt_min", d.dtMin()),
                number(s, "ssm_cfg.dt_max", d.dtMax()), number(s, "ssm_cfg.dt_init_floor", d.dtInitFloor()),
                number(s, "ssm_cfg.dt_scale", d.dtScale()), bool(s, "ssm_cfg.conv_bias", d.convBias()), bool(s, "ssm_cfg.bias", d.bias()),
                bool(s, "ssm_cfg.selective", true));
        return new MambaConfig(required(j, "d_model"), required(j, "n_layer"), required(j, "vocab_size"), ssm,
                bool(j, "rms_norm", true), bool(j, "residual_in_fp32", true), bool(j, "fused_add_norm", true),
                integer(j, "pad_vocab_size_multiple", 8), bool(j, "tie_embeddings", true));
    }

    /** HF transformers' MambaConfig names for the same settings. */
    private static MambaConfig transformers(JsonNode j) {
        SsmConfig d = SsmConfig.defaults();
        SsmConfig ssm = new SsmConfig(integer(j, "state_size", d.dState()), integer(j, "conv_kernel", d.dConv()),
                integer(j, "expand", d.expand()), dtRank(j.get("time_step_rank")), number(j, "time_step_min", d.dtMin()),
                number(j, "time_step_max", d.dtMax()), number(j, "time_step_floor", d.dtInitFloor()),
                number(j, "time_step_scale", d.dtScale()), bool(j, "use_conv_bias", d.convBias()), bool(j, "use_bias", d.bias()), true);
        double eps = number(j, "layer_norm_epsilon", MambaConfig.NORM_EPS);
        if (Math.abs(eps - MambaConfig.NORM_EPS) > 1e-12)
            throw new IllegalArgumentException("mamba config: layer_norm_epsilon " + eps + " is not supported (the blocks use " + MambaConfig.NORM_EPS + ")");
        return new MambaConfig(required(j, "hidden_size"), required(j, "num_hidden_layers"), required(j, "vocab_size"), ssm, true,
                bool(j, "residual_in_fp32", true), true, integer(j, "pad_vocab_size_multiple", 1), bool(j, "tie_word_embeddings", true));
    }

    private static Integer dtRank(JsonNode v) {
        if (v == null || v.isNull() || (v.isTextual() && v.asText().equals("auto"))) return null;
        if (!v.canConvertToExactIntegral()) throw new IllegalArgumentException("mamba config: dt_rank must be an integer or \"auto\", got " + v);
        return v.asInt();
    }

    private static int required(JsonNode j, String key) {
        if (!j.has(key)) throw new IllegalArgumentException("mamba config: \"" + key + "\" is required");
        return integer(j, key, 0);
    }

    private static int integer(JsonNode j, String key, int fallback) {
        JsonNode v = j.get(key.substring(key.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) return fallback;
        if (!v.canConvertToExactIntegral()) throw new IllegalArgumentException("mamba config: \"" + key + "\" must be an integer, got " + v);
        return v.asInt();
    }

    private static double number(JsonNode j, String key, double fallback) {
        JsonNode v = j.get(key.substring(key.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw new IllegalArgumentException("mamba config: \"" + key + "\" must be a number, got " + v);
        return v.asDouble();
    }

    private static boolean bool(JsonNode j, String key, boolean fallback) {
        JsonNode v = j.get(key.substring(key.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) throw new IllegalArgumentException("mamba config: \"" + key + "\" must be true or false, got " + v);
        return v.asBoolean();
    }
}
