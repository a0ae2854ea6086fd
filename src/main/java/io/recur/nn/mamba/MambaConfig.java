package io.recur.nn.mamba;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Mamba language model's config.json in mamba_ssm's MambaConfig layout (the one on the HF hub
 * under state-spaces/mamba-*): d_model, n_layer, vocab_size, ssm_cfg, rms_norm, residual_in_fp32,
 * fused_add_norm, pad_vocab_size_multiple, tie_embeddings. Reading ({@link MambaConfigJson})
 * fills absent keys with mamba_ssm's defaults and ignores keys this model has no use for
 * ("architectures", "torch_dtype", …); it rejects settings it cannot honour. rms_norm false,
 * attention layers and Mamba-2 are not supported. residual_in_fp32 and fused_add_norm are kept for
 * the round trip only: storage here is float32 throughout and the unfused add-then-norm is the same
 * arithmetic.
 */
public record MambaConfig(int dModel, int nLayer, int vocabSize, SsmConfig ssmCfg, boolean rmsNorm, boolean residualInFp32,
                          boolean fusedAddNorm, int padVocabSizeMultiple, boolean tieEmbeddings) {
    /** The name a model registry knows this model by. */
    public static final String NAME = "mamba";
    /** RMSNorm epsilon of mamba_ssm's blocks and final norm. */
    public static final float NORM_EPS = 1e-5f;

    public MambaConfig {
        if (dModel < 1 || nLayer < 1 || vocabSize < 1)
            throw new IllegalArgumentException("mamba: d_model, n_layer and vocab_size must be >= 1, got " + dModel + ", " + nLayer + ", " + vocabSize);
        if (padVocabSizeMultiple < 1) throw new IllegalArgumentException("mamba: pad_vocab_size_multiple must be >= 1, got " + padVocabSizeMultiple);
        if (ssmCfg == null) throw new IllegalArgumentException("mamba: ssm_cfg is required");
        if (!rmsNorm) throw new IllegalArgumentException("mamba: rms_norm false (LayerNorm blocks) is not supported");
        if (!tieEmbeddings) throw new IllegalArgumentException("mamba: tie_embeddings false is not supported (lm_head is the embedding)");
    }

    /** mamba_ssm's defaults for everything but the sizes. */
    public static MambaConfig of(int dModel, int nLayer, int vocabSize) {
        return new MambaConfig(dModel, nLayer, vocabSize, SsmConfig.defaults(), true, true, true, 8, true);
    }

    public MambaConfig withSsm(SsmConfig s) {
        return new MambaConfig(dModel, nLayer, vocabSize, s, rmsNorm, residualInFp32, fusedAddNorm, padVocabSizeMultiple, tieEmbeddings);
    }

    public MambaConfig withPadVocabSizeMultiple(int m) {
        return new MambaConfig(dModel, nLayer, vocabSize, ssmCfg, rmsNorm, residualInFp32, fusedAddNorm, m, tieEmbeddings);
    }

    /** The embedding's rows: vocab_size rounded up to pad_vocab_size_multiple, as mamba_ssm does (logits have this width). */
    public int paddedVocabSize() {
        int m = padVocabSizeMultiple;
        return (vocabSize + m - 1) / m * m;
    }

    public int dInner() { return ssmCfg.expand() * dModel; }

    public int dtRank() { return ssmCfg.resolvedDtRank(dModel); }

    /** The JSON object written to config.json (Jackson serialises the record through this). */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> ssm = new LinkedHashMap<>();
        ssm.put("d_state", ssmCfg.dState());
        ssm.put("d_conv", ssmCfg.dConv());
        ssm.put("expand", ssmCfg.expand());
        ssm.put("dt_rank", ssmCfg.dtRank() == null ? "auto" : ssmCfg.dtRank());
        ssm.put("dt_min", ssmCfg.dtMin());
        ssm.put("dt_max", ssmCfg.dtMax());
        ssm.put("dt_init_floor", ssmCfg.dtInitFloor());
        ssm.put("dt_scale", ssmCfg.dtScale());
        ssm.put("conv_bias", ssmCfg.convBias());
        ssm.put("bias", ssmCfg.bias());
        if (!ssmCfg.selective()) ssm.put("selective", false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("d_model", dModel);
        out.put("n_layer", nLayer);
        out.put("vocab_size", vocabSize);
        out.put("ssm_cfg", ssm);
        out.put("rms_norm", rmsNorm);
        out.put("residual_in_fp32", residualInFp32);
        out.put("fused_add_norm", fusedAddNorm);
        out.put("pad_vocab_size_multiple", padVocabSizeMultiple);
        out.put("tie_embeddings", tieEmbeddings);
        return out;
    }

    /** Reads a config.json tree (what JsonFiles.read(path, MambaConfig.class) calls). */
    @JsonCreator
    public static MambaConfig fromJson(JsonNode json) { return MambaConfigJson.parse(json); }
}
