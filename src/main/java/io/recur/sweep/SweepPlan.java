package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.data.Metric;
import io.recur.data.TaskSpec;
import io.recur.models.Models;
import io.recur.train.RunConfig;
import io.recur.train.RunConfigs;
import io.recur.train.Tasks;
import io.recur.train.TrainingRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every run of a sweep, checked before any of them starts: the defaults, overridden by the base,
 * the budget and target, then the run's axis values (the last axis varies fastest). Each run has a
 * name made from its axis values, e.g. {@code optimizer=adamw_lr=0.001_seed=1}, which is its folder.
 */
public record SweepPlan(SweepFile file, List<PlannedRun> runs, Metric metric) {
    /** One run: its folder name, its axis values (in the file's order) and its whole config. */
    public record PlannedRun(String name, Map<String, JsonNode> values, RunConfig config) {}

    public static SweepPlan of(SweepFile file) {
        List<Map<String, JsonNode>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (var axis : file.axes().entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combinations)
                for (JsonNode v : axis.getValue()) {
                    Map<String, JsonNode> more = new LinkedHashMap<>(c);
                    more.put(axis.getKey(), v);
                    next.add(more);
                }
            combinations = next;
        }
        List<PlannedRun> runs = new ArrayList<>();
        Map<String, TaskSpec> specs = new HashMap<>();
        Metric metric = null;
        Map<String, Map<String, JsonNode>> names = new HashMap<>();
        for (Map<String, JsonNode> values : combinations) {
            String name = name(values);
            Map<String, JsonNode> other = names.putIfAbsent(name, values);
            if (other != null) throw new IllegalArgumentException("the runs " + other + " and " + values + " would share the folder " + name + "; give the axis values that differ other spellings");
            RunConfig config = config(file, values, name);
            // the task decides the metric; building it also checks the task's settings (MNIST is read once)
            String taskKey = config.task() + "/" + config.seqLen() + "/" + config.vocab() + "/" + config.items();
            TaskSpec spec = specs.get(taskKey);
            if (spec == null) {
                try {
                    spec = Tasks.create(config).spec();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("run " + name + ": " + e.getMessage(), e);
                }
                specs.put(taskKey, spec);
            }
            if (metric != null && spec.metric() != metric)
                throw new IllegalArgumentException("run " + name + " is scored by " + key(spec.metric()) + ", others by " + key(metric) + "; a sweep compares one metric");
            metric = spec.metric();
            runs.add(new PlannedRun(name, values, config));
        }
        if (file.targetMetric() != null && !file.targetMetric().equals(key(metric)))
            throw new IllegalArgumentException("field 'target.metric' is " + file.targetMetric() + ", but the task is scored by " + key(metric));
        return new SweepPlan(file, List.copyOf(runs), metric);
    }

    /** token_accuracy, sequence_accuracy or mse: the metric's key in metrics.jsonl (after val_). */
    public static String key(Metric m) { return m.name().toLowerCase(Locale.ROOT); }

    private static RunConfig config(SweepFile file, Map<String, JsonNode> values, String name) {
        Map<String, Object> settings = new LinkedHashMap<>();
        file.base().properties().forEach(e -> settings.put(e.getKey(), e.getValue()));
        if (file.steps() != null) settings.put("steps", file.steps());
        if (file.wallSeconds() != null) settings.put("max_seconds", file.wallSeconds());
        if (file.threshold() != null) settings.put("target", file.threshold());
        settings.putAll(values);
        RunConfig config;
        try {
            config = RunConfigs.merge(RunConfig.defaults(), null, settings);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("run " + name + ": " + e.getMessage(), e);
        }
        if (!TrainingRun.OPTIMIZERS.contains(config.optimizer().toLowerCase(Locale.ROOT)))
            throw new IllegalArgumentException("run " + name + ": unknown optimizer '" + config.optimizer() + "'; use " + String.join(" or ", TrainingRun.OPTIMIZERS));
        if (!Models.names().contains(config.model().toLowerCase(Locale.ROOT)))
            throw new IllegalArgumentException("run " + name + ": unknown model '" + config.model() + "'; use one of " + String.join(", ", Models.names()));
        return config;
    }

    /** key=value pairs joined by _, with characters that shells or file systems dislike replaced. */
    static String name(Map<String, JsonNode> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + text(v)));
        return String.join("_", parts).replaceAll("[^A-Za-z0-9._=+-]", "-");
    }

    /** A value as people write it: 0.001 rather than 1.0E-3, 2 rather than 2.0. */
    public static String text(JsonNode v) {
        if (v.isNumber()) return new BigDecimal(v.asText()).stripTrailingZeros().toPlainString();
        return v.asText();
    }
}
