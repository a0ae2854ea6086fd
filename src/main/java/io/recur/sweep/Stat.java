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

    /** 4 significant digits without trailing zeros: 0.835, 25, 0.02121; powers of ten for the very small or large. */
    static String number(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v != 0 && (Math.abs(v) < 1e-5 || Math.abs(v) >= 1e9)) return String.format(Locale.ROOT, "%.3e", v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
