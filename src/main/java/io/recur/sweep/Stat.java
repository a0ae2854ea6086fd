package io.recur.sweep;

import java.util.List;
import java.util.Locale;

/** Mean and sample standard deviation (n − 1 in the denominator) of n values; null where undefined (n = 0, or std with n = 1). */
public record Stat(Double mean, Double std, int n) {
    public static Stat of(List<Double> values) {
        int n = values.size();
        if (n == 0) return new Stat(null, null, 0);
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) return new Stat(mean, null, 1);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return new Stat(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /** "0.912 ± 0.013", "0.912" (one value) or "–" (none). */
    public String text() {
        if (mean == null) return "–";
        return std == null ? number(mean) : number(mean) + " ± " + number(std);
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) return String.format(Locale.ROOT, "%d", (long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
