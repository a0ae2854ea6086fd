package io.recur.train;

import io.recur.nn.Module;
import io.recur.nn.TorchRecurrent;
import io.recur.parallel.Method;
import io.recur.parallel.NewtonOptions;
import io.recur.parallel.ParallelEvaluation;
import io.recur.parallel.SolveStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run config's {@code evaluation}: GRU and LSTM layers stepped one step at a time
 * ("sequential") or solved over the whole sequence by DEER, quasi-DEER, ELK or quasi-ELK with
 * gradients by the implicit function theorem. Newton's iterations use the solver's defaults
 * ({@link NewtonOptions#of}) where the run leaves damping, newton_tolerance or newton_iterations at
 * 0; they start from zeros at every step, since consecutive batches hold different sequences.
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
    public static ParallelEvaluation apply(Module model, RunConfig run) {
        String evaluation = run.evaluation();
        check(evaluation);
        if (evaluation.equalsIgnoreCase(SEQUENTIAL)) return null;
        List<TorchRecurrent> layers = new ArrayList<>();
        collect(model, layers);
        if (layers.isEmpty())
            throw new IllegalArgumentException("evaluation " + evaluation + " runs GRU and LSTM layers in parallel over time, but the model has none; use --model gru or lstm");
        ParallelEvaluation parallel = new ParallelEvaluation(options(run), false);
        for (TorchRecurrent layer : layers) layer.evaluation(parallel);
        return parallel;
    }

    /** The solver's defaults for the run's method, with the run's damping, tolerance and iteration limit where it sets them. */
    static NewtonOptions options(RunConfig run) {
        NewtonOptions options = NewtonOptions.of(Method.parse(run.evaluation()));
        if (run.damping() > 0) options = options.withDamping((float) run.damping());
        if (run.newtonTolerance() > 0) options = options.withTolerance((float) run.newtonTolerance());
        if (run.newtonIterations() > 0) options = options.withMaxIterations(run.newtonIterations());
        return options;
    }

    /** metrics.jsonl fields for the solves since the last line: mean and most Newton iterations, and how many did not converge. */
    static Map<String, Object> metrics(SolveStatistics window) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (window.solves() == 0) return fields;
        fields.put("newton_iterations", window.meanIterations());
        fields.put("newton_max_iterations", window.mostIterations());
        fields.put("newton_not_converged", window.notConverged());
        return fields;
    }

    private static void collect(Module m, List<TorchRecurrent> out) {
        if (m instanceof TorchRecurrent r) out.add(r);
        for (Module child : m.children().values()) collect(child, out);
    }
}
