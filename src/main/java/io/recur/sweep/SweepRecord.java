package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.io.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * sweep.json in a sweep's folder: what `recur report` needs besides the run folders: the command
 * and sweep file that made the sweep, the metric and its direction, the target, the tuned key and
 * every run with its axis values.
 */
public record SweepRecord(String command, String sweepFile, String sweepText, String metric, boolean lowerIsBetter,
                          Double threshold, String select, List<String> axes, List<Entry> runs) {
    public static final String FILE = "sweep.json", RUNS = "runs";

    /** A run's folder name (under runs/) and axis values. */
    public record Entry(String name, Map<String, JsonNode> values) {}

    public static SweepRecord of(SweepPlan plan, String command, Path sweepFile, String sweepText) {
        SweepFile f = plan.file();
        return new SweepRecord(command, sweepFile.toString(), sweepText, SweepPlan.key(plan.metric()), plan.metric() == io.recur.data.Metric.MSE,
                f.threshold(), f.select(), List.copyOf(f.axes().keySet()),
                plan.runs().stream().map(r -> new Entry(r.name(), r.values())).toList());
    }

    public static SweepRecord read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "not a sweep folder (no " + FILE + "; made by recur sweep)");
        return JsonFiles.read(file, SweepRecord.class);
    }

    public void write(Path dir) throws IOException { JsonFiles.write(dir.resolve(FILE), this); }

    /** The axes that make a configuration: all but seed. */
    public List<String> configurationAxes() { return axes.stream().filter(a -> !a.equals(SweepFile.SEED)).toList(); }
}
