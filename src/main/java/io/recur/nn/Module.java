package io.recur.nn;

import io.recur.tensor.DType;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A tree of named parameters and submodules, as in torch.nn.Module: full names join the path with
 * dots ("layers.0.mixer.weight_ih_l0"), and every listing follows registration order (a module's own
 * parameters, then each child's, depth first), so optimizers and checkpoints see a stable order.
 * The module owns its parameters: {@link #close()} frees them; step scopes never do.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean closed;

    /** Registers a trainable parameter; the module takes ownership of the tensor and marks it requiresGrad. */
    protected final Param parameter(String name, Tensor value) {
        checkName(name);
        if (value.dtype() != DType.F32)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name + "' must be F32, got " + value.dtype());
        Param p = new Param(name, value.requiresGrad(true));
        params.put(name, p);
        return p;
    }

    /** Registers a submodule under name; returns it for assignment to a field. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        module.train(training);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' must be non-empty and contain no dot");
        if (params.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + name + "' is already registered");
    }

    /** Direct submodules by name, in registration order. */
    public final Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter by full name, in the stable order. The tensors are the module's own: do not close them. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedSlots("", out, Param::get);
        return out;
    }

    /** The parameter tensors in the stable order (what an optimizer takes). */
    public final List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) n += t.size();
        return n;
    }

    /** As torch's state_dict: the parameters by full name (live tensors, not copies). */
    public final Map<String, Tensor> stateDict() { return namedParameters(); }

    /** Copies values into the parameters by full name; every name must match and every shape agree. */
    public final void loadStateDict(Map<String, Tensor> state) { loadStateDict(state, true); }

    /**
     * Copies values into the parameters by full name (onto this module's backend). Strict: missing
     * and unexpected names are errors, listed together; not strict: only the names present in both
     * are copied. A shape or dtype mismatch is always an error naming both.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = namedParameters();
        if (strict) {
            TreeSet<String> missing = new TreeSet<>(own.keySet());
            missing.removeAll(state.keySet());
            TreeSet<String> unexpected = new TreeSet<>(state.keySet());
            unexpected.removeAll(own.keySet());
            if (!missing.isEmpty() || !unexpected.isEmpty())
                throw new IllegalArgumentException(getClass().getSimpleName() + ": state dict does not fit"
                        + (missing.isEmpty() ? "" : "; missing " + missing) + (unexpected.isEmpty() ? "" : "; unexpected " + unexpected));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey()), dst = e.getValue();
            if (src == null) continue;
            if (src.dtype() != DType.F32)
                throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + e.getKey() + "' is " + src.dtype() + ", the parameter is F32");
            if (!src.shape().equals(dst.shape()))
                throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + e.getKey() + "' has shape " + src.shape()
                        + " in the state dict but " + dst.shape() + " in the model");
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) Parameters.copy(src, e.getValue());
        }
    }

    /**
     * Runs body with the named parameters replaced by the given tensors (torch.func.functional_call),
     * then puts the module's own back. Gradients of the call reach the given tensors. Names must
     * exist and shapes agree.
     */
    public final <T> T withParameters(Map<String, Tensor> replacements, Supplier<T> body) {
        Map<String, Param> slots = new LinkedHashMap<>();
        namedSlots("", slots, p -> p);
        List<Param> swapped = new ArrayList<>();
        List<Tensor> originals = new ArrayList<>();
        try {
            for (Map.Entry<String, Tensor> e : replacements.entrySet()) {
                Param slot = slots.get(e.getKey());
                if (slot == null)
                    throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + e.getKey() + "'; it has " + slots.keySet());
                if (!slot.shape().equals(e.getValue().shape()))
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + e.getKey() + "' has shape " + slot.shape()
                            + ", the replacement " + e.getValue().shape());
                originals.add(slot.swap(e.getValue()));
                swapped.add(slot);
            }
            return body.get();
        } finally {
            for (int i = 0; i < swapped.size(); i++) swapped.get(i).swap(originals.get(i));
        }
    }

    private <V> void namedSlots(String prefix, Map<String, V> out, java.util.function.Function<Param, V> f) {
        checkOpen();
        for (Param p : params.values()) out.put(prefix + p.name(), f.apply(p));
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().namedSlots(prefix + c.getKey() + ".", out, f);
    }

    /** Training mode (dropout active) for this module and all below it. */
    public final Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /** Clears the accumulated gradients of every parameter. */
    public final void zeroGrad() { parameters().forEach(Tensor::zeroGrad); }

    protected final void checkOpen() {
        if (closed) throw new IllegalStateException(getClass().getSimpleName() + " used after close");
    }

    /** Frees every parameter (and its gradient) of this module and its submodules. */
    @Override
    public void close() {
        if (closed) return;
        for (Module c : children.values()) c.close();
        for (Param p : params.values()) p.get().close();
        closed = true;
    }
}
