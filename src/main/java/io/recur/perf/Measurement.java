package io.recur.perf;

/**
 * One benchmark row: the median time of an operation and its throughput. baselineRatio compares
 * with a reference measured in the same run on the same backend (NaN when there is none).
 */
public record Measurement(String operation, String shape, double medianMs, double throughput, String unit,
                          double baselineRatio, String baseline) {}
