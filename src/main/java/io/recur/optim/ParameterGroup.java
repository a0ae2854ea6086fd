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

    /** One parameter with its group's weight decay. */
    record Entry(Tensor tensor, double weightDecay) {}

    /**
     * Every parameter of the groups by name, in order, after the checks all optimizers make: float32,
     * no tensor twice, no name twice, at least one parameter. kind names the optimizer in errors.
     */
    static Map<String, Entry> entries(String kind, List<ParameterGroup> groups) {
        Map<Tensor, String> seen = new java.util.IdentityHashMap<>();
        Map<String, Entry> out = new LinkedHashMap<>();
        for (ParameterGroup g : groups)
            for (Map.Entry<String, Tensor> e : g.parameters().entrySet()) {
                Tensor p = e.getValue();
                if (p.dtype() != io.recur.tensor.DType.F32) throw new IllegalArgumentException(kind + ": parameter '" + e.getKey() + "' is " + p.dtype() + ", not F32");
                String before = seen.put(p, e.getKey());
                if (before != null) throw new IllegalArgumentException(kind + ": one tensor is in the groups twice, as '" + before + "' and '" + e.getKey() + "'");
                if (out.put(e.getKey(), new Entry(p, g.weightDecay())) != null) throw new IllegalArgumentException(kind + ": two parameters are named '" + e.getKey() + "'");
            }
        if (out.isEmpty()) throw new IllegalArgumentException(kind + ": no parameters to optimize");
        return out;
    }
}
