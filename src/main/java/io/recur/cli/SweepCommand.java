package io.recur.cli;

import io.recur.sweep.Aggregation;
import io.recur.sweep.SweepFile;
import io.recur.sweep.SweepPlan;
import io.recur.sweep.SweepRecord;
import io.recur.sweep.SweepReport;
import io.recur.sweep.SweepRunner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `recur sweep`: every combination of a sweep file's axes, resumable, then the report. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every combination of a sweep file's axes (e.g. optimizer x learning rate x seed) into --out/runs/, then write the report (as recur report).",
                "Run it again to continue a sweep: finished runs are skipped, interrupted ones resume from their checkpoints.",
                "The file (JSON or YAML) has base (run settings), axes (key: [values] or {log_grid: [min, max, count]}), budget (steps, wall_seconds),",
                "and optionally target (metric, threshold) and select (the key tuned on validation; default lr). See README.md, \"Sweeps\"."})
final class SweepCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the sweep file") Path file;
    @Option(names = "--out", required = true, description = "the sweep's folder (runs/, sweep.json, report.md, summary.json, plots)") Path out;
    @Option(names = "--parallel", defaultValue = "1", description = "runs at a time: 1 trains in this process on all cores; N > 1 starts N JVMs of cores/N threads each (CPU runs; use 1 for one GPU) (default: ${DEFAULT-VALUE})") int parallel;
    @Option(names = "--max-runs", description = "train at most this many runs now and leave the rest for the next call") Integer maxRuns;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        SweepPlan plan = SweepPlan.of(SweepFile.read(file));
        console.printf("sweep: %d runs (%s) into %s%n", plan.runs().size(),
                String.join(" x ", plan.file().axes().entrySet().stream().map(e -> e.getValue().size() + " " + e.getKey()).toList()), out.resolve(SweepRecord.RUNS));
        console.flush();
        SweepRunner.Execution execution = new SweepRunner.Execution(parallel, maxRuns == null ? Integer.MAX_VALUE : maxRuns, Main.class.getName());
        SweepRunner.Counts counts;
        try (SweepProgress progress = new SweepProgress(console)) {
            SweepRunner runner = new SweepRunner(plan, out, execution, progress);
            runner.check();   // before sweep.json is replaced, so that the folder of another sweep stays as it was
            Files.createDirectories(out);
            String command = "recur sweep " + file + " --out " + out + (parallel > 1 ? " --parallel " + parallel : "");
            SweepRecord.of(plan, command, file, Files.readString(file, StandardCharsets.UTF_8)).write(out);
            counts = runner.run();
        }
        console.printf("sweep: %d runs trained (%d resumed), %d failed, %d were already over%s%n", counts.started() + counts.resumed(), counts.resumed(),
                counts.failed(), counts.skipped(), counts.left() > 0 ? ", " + counts.left() + " left for the next call" : "");
        Aggregation a = SweepReport.write(out);
        console.printf("wrote %s and %s (%d configurations)%n", out.resolve(SweepReport.MARKDOWN), out.resolve(SweepReport.SUMMARY), a.configurations().size());
        return 0;
    }
}
