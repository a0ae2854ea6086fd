package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A sweep's figures: every run, the configurations (runs that differ only in seed) with mean ±
 * sample std over their finished runs, and the fair choice of the tuned key: for each combination of
 * the other axes (e.g. each optimizer), the value (e.g. learning rate) whose configuration has the
 * best mean best-validation metric, among configurations none of whose runs failed, with that
 * configuration's held-out (test) score. Failed runs count in "failed" and in no mean.
 */
public record Aggregation(String metric, boolean lowerIsBetter, Double threshold, String select,
                          List<RunSummary> runs, List<Configuration> configurations, List<Choice> tuned) {

    /** Runs with the same values of every axis but seed. */
    public record Configuration(String label, Map<String, JsonNode> values, List<String> runNames, int finished, int failed,
                                Stat finalValidation, Stat bestValidation, int reachedTarget, Stat stepsToTarget, Stat secondsToTarget,
                                Stat test) {}

    /** The tuned value for one combination of the other axes; chosen is null when every candidate had a failed run. */
    public record Choice(String label, Map<String, JsonNode> fixed, JsonNode chosen, String configuration, int candidates,
                         Stat bestValidation, Stat test) {}

    public static Aggregation of(Path sweepDir) throws IOException {
        SweepRecord sweep = SweepRecord.read(sweepDir);
        List<RunSummary> runs = new ArrayList<>();
        for (SweepRecord.Entry e : sweep.runs()) runs.add(RunSummary.read(sweepDir.resolve(SweepRecord.RUNS).resolve(e.name()), e, sweep));
        return of(sweep, runs);
    }

    static Aggregation of(SweepRecord sweep, List<RunSummary> runs) {
        List<String> axes = sweep.configurationAxes();
        Map<Map<String, JsonNode>, List<RunSummary>> groups = new LinkedHashMap<>();
        for (RunSummary r : runs) groups.computeIfAbsent(subset(r.values(), axes), k -> new ArrayList<>()).add(r);
        List<Configuration> configurations = new ArrayList<>();
        groups.forEach((values, group) -> configurations.add(configuration(values, group)));
        List<Choice> tuned = sweep.select() == null ? List.of() : tune(configurations, axes, sweep.select(), sweep.lowerIsBetter());
        return new Aggregation(sweep.metric(), sweep.lowerIsBetter(), sweep.threshold(), sweep.select(), runs, configurations, tuned);
    }

    private static Configuration configuration(Map<String, JsonNode> values, List<RunSummary> group) {
        List<RunSummary> done = group.stream().filter(RunSummary::finished).toList();
        List<RunSummary> reached = done.stream().filter(r -> r.stepsToTarget() != null).toList();
        return new Configuration(label(values), values, group.stream().map(RunSummary::name).toList(), done.size(),
                (int) group.stream().filter(r -> RunResult.FAILED.equals(r.status())).count(),
                stat(done, RunSummary::finalValidation), stat(done, RunSummary::bestValidation), reached.size(),
                stat(reached, r -> r.stepsToTarget().doubleValue()), stat(reached, RunSummary::secondsToTarget), stat(done, RunSummary::test));
    }

    private static List<Choice> tune(List<Configuration> configurations, List<String> axes, String select, boolean lowerIsBetter) {
        List<String> others = axes.stream().filter(a -> !a.equals(select)).toList();
        Map<Map<String, JsonNode>, List<Configuration>> buckets = new LinkedHashMap<>();
        for (Configuration c : configurations) buckets.computeIfAbsent(subset(c.values(), others), k -> new ArrayList<>()).add(c);
        List<Choice> choices = new ArrayList<>();
        buckets.forEach((fixed, candidates) -> {
            Configuration best = null;
            for (Configuration c : candidates) {
                if (c.failed() > 0 || c.finished() == 0 || c.bestValidation().mean() == null) continue;
                if (best == null || RunSummary.better(c.bestValidation().mean(), best.bestValidation().mean(), lowerIsBetter)) best = c;
            }
            choices.add(best == null
                    ? new Choice(label(fixed), fixed, null, null, candidates.size(), new Stat(null, null, 0), new Stat(null, null, 0))
                    : new Choice(label(fixed), fixed, best.values().get(select), best.label(), candidates.size(), best.bestValidation(), best.test()));
        });
        return choices;
    }

    private static Stat stat(List<RunSummary> runs, Function<RunSummary, Double> figure) {
        return Stat.of(runs.stream().map(figure).filter(Objects::nonNull).toList());
    }

    static Map<String, JsonNode> subset(Map<String, JsonNode> values, List<String> keys) {
        Map<String, JsonNode> s = new LinkedHashMap<>();
        for (String k : keys) if (values.containsKey(k)) s.put(k, values.get(k));
        return s;
    }

    /** "optimizer=adamw lr=0.001"; "all" for no values. */
    static String label(Map<String, JsonNode> values) {
        if (values.isEmpty()) return "all";
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + SweepPlan.text(v)));
        return String.join(" ", parts);
    }
}
