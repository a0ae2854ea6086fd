package io.recur.optim;

import io.recur.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share settings within one optimizer, by the names that label their state in a
 * checkpoint. Weight decay is decoupled (AdamW's p ← p·(1 − lr·wd)), so it is a group setting:
 * norms and biases usually get none.
 */
public record ParameterGroup(String name, Map<String, Tensor> parameters, double weightDecay) {
    public ParameterGroup {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay))
            throw new IllegalArgumentException("group '" + name + "': weight decay must be finite and >= 0, got " + weightDecay);
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** One group without weight decay, the parameters named by their index ("0", "1", ...). */
    public static List<ParameterGroup> of(List<Tensor> parameters) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) named.put(Integer.toString(i), parameters.get(i));
        return List.of(new ParameterGroup("all", named, 0));
    }

    /**
     * The usual split for language models: matrices (rank >= 2: projections, embeddings) decay,
     * vectors (norm weights, biases, per-channel parameters) do not. Empty groups are left out.
     */
    public static List<ParameterGroup> decayMatricesOnly(Map<String, Tensor> named, double weightDecay) {
        Map<String, Tensor> matrices = new LinkedHashMap<>(), vectors = new LinkedHashMap<>();
        named.forEach((n, t) -> (t.rank() >= 2 ? matrices : vectors).put(n, t));
        var groups = new java.util.ArrayList<ParameterGroup>();
        if (!matrices.isEmpty()) groups.add(new ParameterGroup("decay", matrices, weightDecay));
        if (!vectors.isEmpty()) groups.add(new ParameterGroup("no_decay", vectors, 0));
        return groups;
    }
}
