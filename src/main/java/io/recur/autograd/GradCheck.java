package io.recur.autograd;

import java.util.function.ToDoubleFunction;

/**
 * Gradient checking in float64: central finite differences of a double-valued function, and a
 * comparison that reports the worst element by relative error with an absolute floor.
 */
public final class GradCheck {
    private GradCheck() {}

    /** d f / d x_j for every j by central differences with a step scaled to |x_j|. */
    public static double[] numericGradient(ToDoubleFunction<double[]> f, double[] x, double step) {
        int[] all = new int[x.length];
        for (int j = 0; j < all.length; j++) all[j] = j;
        return numericGradient(f, x, step, all);
    }

    /** Central differences at the given indices only (result i is for x[indices[i]]): for large inputs. */
    public static double[] numericGradient(ToDoubleFunction<double[]> f, double[] x, double step, int[] indices) {
        double[] g = new double[indices.length];
        double[] xp = x.clone();
        for (int i = 0; i < indices.length; i++) {
            int j = indices[i];
            double h = step * Math.max(1.0, Math.abs(x[j]));
            xp[j] = x[j] + h;
            double fp = f.applyAsDouble(xp);
            xp[j] = x[j] - h;
            double fm = f.applyAsDouble(xp);
            xp[j] = x[j];
            g[i] = (fp - fm) / (2 * h);
        }
        return g;
    }

    /** The worst element of actual against expected: error |a - e| / max(|e|, floor). */
    public record Comparison(double worstError, int worstIndex, double actual, double expected) {
        public boolean within(double tolerance) { return worstError <= tolerance; }

        @Override public String toString() {
            return worstIndex < 0 ? "all equal"
                    : String.format("worst relative error %.3g at index %d: got %.8g, expected %.8g", worstError, worstIndex, actual, expected);
        }
    }

    public static Comparison compare(float[] actual, double[] expected, double floor) {
        if (actual.length != expected.length)
            throw new IllegalArgumentException("lengths differ: " + actual.length + " vs " + expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double err = Double.isNaN(actual[i]) != Double.isNaN(expected[i]) ? Double.POSITIVE_INFINITY
                    : Double.isNaN(expected[i]) ? 0 : Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
            if (err > worst || at < 0) { worst = err; at = i; }
        }
        return at < 0 ? new Comparison(0, -1, 0, 0) : new Comparison(worst, at, actual[at], expected[at]);
    }
}
