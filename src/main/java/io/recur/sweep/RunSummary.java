package io.recur.sweep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.recur.io.JsonFiles;
import io.recur.train.MetricsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run's figures for the report, read from its folder: status and held-out score from
 * result.json, the validation curve from metrics.jsonl (val_METRIC at each evaluation, with its
 * step and elapsed seconds). Best is the highest (the lowest for MSE); the target counts as reached
 * at the first evaluation that meets it. A run without result.json is "pending".
 */
public record RunSummary(String name, Map<String, JsonNode> values, String status, String message, Long steps, Double seconds,
                         Double finalValidation, Double bestValidation, Long stepsToTarget, Double secondsToTarget, Double test,
                         @JsonIgnore Curve curve) {
    public static final String PENDING = "pending";

    /** Validation figures at each evaluation. */
    public record Curve(long[] steps, double[] seconds, double[] values) {}

    public boolean finished() { return RunResult.FINISHED.equals(status); }

    static RunSummary read(Path folder, SweepRecord.Entry entry, SweepRecord sweep) throws IOException {
        List<long[]> steps = new ArrayList<>();
        List<double[]> figures = new ArrayList<>();
        String key = "val_" + sweep.metric();
        for (JsonNode line : MetricsLog.read(folder))
            if (line.has(key)) {
                steps.add(new long[] {line.path("step").asLong()});
                figures.add(new double[] {line.path("elapsed_seconds").asDouble(), line.get(key).asDouble()});
            }
        Curve curve = new Curve(steps.stream().mapToLong(s -> s[0]).toArray(), figures.stream().mapToDouble(f -> f[0]).toArray(),
                figures.stream().mapToDouble(f -> f[1]).toArray());
        Path resultFile = folder.resolve(RunResult.FILE);
        RunResult result = Files.isRegularFile(resultFile) ? JsonFiles.read(resultFile, RunResult.class) : null;
        int n = curve.values().length;
        Double last = n == 0 ? null : curve.values()[n - 1], best = null;
        Long stepsTo = null;
        Double secondsTo = null;
        for (int i = 0; i < n; i++) {
            double v = curve.values()[i];
            if (best == null || better(v, best, sweep.lowerIsBetter())) best = v;
            if (stepsTo == null && sweep.threshold() != null && (sweep.lowerIsBetter() ? v <= sweep.threshold() : v >= sweep.threshold())) {
                stepsTo = curve.steps()[i];
                secondsTo = curve.seconds()[i];
            }
        }
        return new RunSummary(entry.name(), entry.values(), result == null ? PENDING : result.status(), result == null ? null : result.message(),
                result == null ? null : result.steps(), result == null ? null : result.elapsedSeconds(),
                last, best, stepsTo, secondsTo, result == null ? null : result.test(), curve);
    }

    static boolean better(double a, double b, boolean lowerIsBetter) { return lowerIsBetter ? a < b : a > b; }
}
