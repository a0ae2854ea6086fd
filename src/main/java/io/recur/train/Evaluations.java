package io.recur.train;

import io.recur.nn.Module;
import io.recur.nn.TorchRecurrent;
import io.recur.parallel.Method;
import io.recur.parallel.NewtonOptions;
import io.recur.parallel.ParallelEvaluation;
import java.util.ArrayList;
import java.util.List;

/**
 * The run config's {@code evaluation}: GRU and LSTM layers stepped one step at a time
 * ("sequential") or solved over the whole sequence by DEER, quasi-DEER, ELK or quasi-ELK with
 * gradients by the implicit function theorem. Newton's iterations use the solver's defaults
 * (tolerance 1e-4, damping {@link NewtonOptions#of}); they start from zeros at every step, since
 * consecutive batches hold different sequences.
 */
public final class Evaluations {
    public static final String SEQUENTIAL = "sequential";

    private Evaluations() {}

    /** Throws if the name is neither sequential nor a method. */
    static void check(String evaluation) {
        if (evaluation.equalsIgnoreCase(SEQUENTIAL)) return;
        try {
            Method.parse(evaluation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("evaluation must be " + SEQUENTIAL + " or a parallel method: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the evaluation on every GRU and LSTM layer of model; null for sequential, else the
     * evaluation to close with the model.
     */
    public static ParallelEvaluation apply(Module model, String evaluation) {
        check(evaluation);
        if (evaluation.equalsIgnoreCase(SEQUENTIAL)) return null;
        List<TorchRecurrent> layers = new ArrayList<>();
        collect(model, layers);
        if (layers.isEmpty())
            throw new IllegalArgumentException("evaluation " + evaluation + " runs GRU and LSTM layers in parallel over time, but the model has none; use --model gru or lstm");
        ParallelEvaluation parallel = new ParallelEvaluation(NewtonOptions.of(Method.parse(evaluation)), false);
        for (TorchRecurrent layer : layers) layer.evaluation(parallel);
        return parallel;
    }

    private static void collect(Module m, List<TorchRecurrent> out) {
        if (m instanceof TorchRecurrent r) out.add(r);
        for (Module child : m.children().values()) collect(child, out);
    }
}
