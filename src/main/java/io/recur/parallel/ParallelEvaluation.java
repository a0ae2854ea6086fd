package io.recur.parallel;

import io.recur.nn.GRU;
import io.recur.nn.LSTM;
import io.recur.nn.TimeEvaluation;
import io.recur.nn.TorchRecurrent;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs torch GRU and LSTM layers over whole sequences by Newton's method (DEER, quasi-DEER, ELK,
 * quasi-ELK) instead of step by step: set it with {@link TorchRecurrent#evaluation}. Outputs and
 * gradients are those of the sequential layer up to the solver's tolerance (exactly so for the
 * gradients of DEER and ELK; see {@link ImplicitAdjoint} for the quasi methods).
 *
 * <p>With warm starts, each layer's solution is kept (outside any scope, until this object is
 * closed or the next solution replaces it) and starts the next call with the same shape, e.g. the
 * next training step, whose weights have moved only a little.
 */
public final class ParallelEvaluation implements TimeEvaluation, AutoCloseable {
    private final NewtonOptions options;
    private final boolean warmStart;
    private final Map<LayerKey, Tensor> previous = new HashMap<>();
    private final ArrayDeque<Solution> lastRuns = new ArrayDeque<>();
    private final SolveStatistics statistics = new SolveStatistics();
    private SolveStatistics window = new SolveStatistics();
    private Consumer<String> warnings = line -> {};
    private static final int KEPT = 256;

    /** Layer k of a module (modules compare by identity). */
    private record LayerKey(TorchRecurrent layer, int k) {}

    public ParallelEvaluation(NewtonOptions options, boolean warmStart) {
        this.options = options;
        this.warmStart = warmStart;
    }

    public NewtonOptions options() { return options; }

    /**
     * The solutions of the calls since {@link #clearDiagnostics()}, oldest first, at most the last
     * 256 (their states are closed with the scope they were made in).
     */
    public List<Solution> diagnostics() { return List.copyOf(lastRuns); }

    /** Totals over every call since this object was made. */
    public SolveStatistics statistics() { return statistics; }

    public void clearDiagnostics() { lastRuns.clear(); }

    /** The totals since the last call (or since this object was made), starting a new window. */
    public SolveStatistics takeWindow() {
        SolveStatistics w = window;
        window = new SolveStatistics();
        return w;
    }

    /**
     * Where to say that a solve did not converge: at the 1st, 10th, 100th, … such solve, so that a
     * run hears of it at once without a line per step. The last iterate is used either way.
     */
    public ParallelEvaluation onNotConverged(Consumer<String> sink) {
        this.warnings = sink;
        return this;
    }

    private void warnIfNotConverged(Solution solution) {
        long count = statistics.notConverged();
        if (solution.converged() || count != Math.round(Math.pow(10, Math.floor(Math.log10(count))))) return;
        String method = options.method().key();
        warnings.accept(String.format(Locale.ROOT,
                "%s: %d of %d solves did not converge (this one: residual %.3g after %d iterations, tolerance %.3g); the last iterate was used. %s",
                method, count, statistics.solves(), solution.residual(), solution.iterations(), options.tolerance(),
                options.method().damped() ? "A smaller --damping or more --newton-iterations may help."
                        : "Try elk or quasi-elk (damped, stable where Newton's steps overflow), or a looser --newton-tolerance."));
    }

    @Override
    public Tensor[] run(TorchRecurrent layer, int k, Tensor seq, Tensor[] initial) {
        RecurrentCell cell = cellOf(layer, k);
        int length = seq.dim(0), hidden = cell.outputSize(), n = cell.stateSize();
        Tensor h0 = initial.length == 1 ? initial[0] : Shapes.concat(List.of(initial), -1);
        LayerKey key = new LayerKey(layer, k);
        Tensor guess = warmStart ? previous.get(key) : null;
        if (guess != null && !guess.shape().equals(Shape.of(h0.dim(0), length, n))) guess = null;
        ParallelRecurrence.Result result = ParallelRecurrence.run(cell, Shapes.transpose(seq, 0, 1), h0, guess, options);
        Solution solution = result.solution();
        if (lastRuns.size() == KEPT) lastRuns.removeFirst();
        lastRuns.addLast(solution);
        statistics.add(solution);
        window.add(solution);
        warnIfNotConverged(solution);
        if (warmStart) {
            Tensor old = previous.put(key, solution.states().sharedView());
            if (old != null) old.close();
        }
        Tensor states = result.states();
        Tensor outputs = n == hidden ? states : Shapes.slice(states, -1, 0, hidden);
        Tensor last = Shapes.reshape(Shapes.slice(states, 1, length - 1, length), states.dim(0), n);
        Tensor[] out = new Tensor[initial.length + 1];
        out[0] = Shapes.transpose(outputs, 0, 1);
        for (int p = 0; p < initial.length; p++) out[p + 1] = initial.length == 1 ? last : Shapes.slice(last, -1, p * hidden, (p + 1) * hidden);
        return out;
    }

    /** The cell of layer k of a torch GRU or LSTM, sharing its weights. */
    public static RecurrentCell cellOf(TorchRecurrent layer, int k) {
        Tensor[] w = layer.layerWeights(k);
        if (layer instanceof GRU) return new GruCell(w[0], w[1], w[2], w[3]);
        if (layer instanceof LSTM) return new LstmCell(w[0], w[1], w[2], w[3]);
        throw new IllegalArgumentException("parallel evaluation supports GRU and LSTM layers, not " + layer.getClass().getSimpleName());
    }

    @Override
    public void close() {
        previous.values().forEach(Tensor::close);
        previous.clear();
    }
}
