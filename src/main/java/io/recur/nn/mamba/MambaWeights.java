package io.recur.nn.mamba;

import io.recur.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps the tensors of a Mamba weights file onto {@link MambaLM}'s names. Files differ in how they
 * store the tied head: torch.save of mamba_ssm's state_dict holds both backbone.embedding.weight
 * and lm_head.weight (one storage), safetensors conversions keep only one of them, and HF
 * transformers' MambaForCausalLM names the table backbone.embeddings.weight. Here: the plural name
 * is read as the singular; lm_head.weight alone becomes the table; both present must be equal
 * (a file with an untied head is an error, since this model cannot represent it).
 */
public final class MambaWeights {
    public static final String EMBEDDING = "backbone.embedding.weight", LM_HEAD = "lm_head.weight";
    private static final String HF_EMBEDDING = "backbone.embeddings.weight";

    private MambaWeights() {}

    /** The file's tensors under the model's names (the same tensor objects; the caller still owns them). */
    public static Map<String, Tensor> toModelNames(Map<String, Tensor> file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : file.entrySet()) {
            String name = e.getKey().equals(HF_EMBEDDING) ? EMBEDDING : e.getKey();
            if (out.containsKey(name)) throw new IllegalArgumentException("mamba weights: both " + HF_EMBEDDING + " and " + EMBEDDING + " are present");
            if (!name.equals(LM_HEAD)) out.put(name, e.getValue());
        }
        Tensor head = file.get(LM_HEAD), table = out.get(EMBEDDING);
        if (head == null) return out;
        if (table == null) {
            out.put(EMBEDDING, head);
        } else if (!head.shape().equals(table.shape()) || !Arrays.equals(head.toFloatArray(), table.toFloatArray())) {
            throw new IllegalArgumentException("mamba weights: " + LM_HEAD + " " + head.shape() + " differs from " + EMBEDDING + " " + table.shape()
                    + "; this model ties the output head to the embedding");
        }
        return out;
    }
}
