package io.recur.parallel;

import java.util.Locale;

/** Running totals over many solves (e.g. a training run): how many, their iterations, and how many did not converge. */
public final class SolveStatistics {
    private long solves, iterations, notConverged;
    private int mostIterations;
    private double worstResidual;

    public void add(Solution s) {
        solves++;
        iterations += s.iterations();
        mostIterations = Math.max(mostIterations, s.iterations());
        if (!s.converged()) {
            notConverged++;
            worstResidual = Double.isNaN(s.residual()) ? Double.NaN : Math.max(worstResidual, s.residual());
        }
    }

    public long solves() { return solves; }

    public long notConverged() { return notConverged; }

    public double meanIterations() { return solves == 0 ? 0 : (double) iterations / solves; }

    public int mostIterations() { return mostIterations; }

    /** One line for a log, e.g. "120 solves, 4.2 iterations on average (at most 9), all converged". */
    public String summary() {
        String tail = notConverged == 0 ? "all converged"
                : notConverged + " did not converge (largest residual " + String.format(Locale.ROOT, "%.3g", worstResidual)
                        + "; the last iterate was used)";
        return String.format(Locale.ROOT, "%d solves, %.1f iterations on average (at most %d), %s", solves, meanIterations(), mostIterations, tail);
    }
}
