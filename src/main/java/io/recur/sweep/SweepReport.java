package io.recur.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.io.JsonFiles;
import io.recur.train.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * `recur report`: a sweep folder's report.md (Markdown tables: configurations, the tuned choice,
 * every run; the plots; the sweep file and command that made it), summary.json (the same figures
 * for programs) and the PNG plots, all beside sweep.json.
 */
public final class SweepReport {
    public static final String MARKDOWN = "report.md", SUMMARY = "summary.json";
    public static final String CURVES = "curves-step.png", CURVES_TIME = "curves-time.png", VERSUS = "final-vs-%s.png", TO_TARGET = "steps-to-target.png";

    private SweepReport() {}

    /** Writes the report files into dir and returns the figures. */
    public static Aggregation write(Path dir) throws IOException {
        SweepRecord sweep = SweepRecord.read(dir);
        Aggregation a = Aggregation.of(dir);
        List<String> plots = new ArrayList<>(List.of(CURVES, CURVES_TIME));
        SweepPlots.curves(dir.resolve(CURVES), a, false);
        SweepPlots.curves(dir.resolve(CURVES_TIME), a, true);
        if (a.select() != null && SweepPlots.versusSelect(dir.resolve(VERSUS.formatted(a.select())), a)) plots.add(VERSUS.formatted(a.select()));
        if (SweepPlots.stepsToTarget(dir.resolve(TO_TARGET), a)) plots.add(TO_TARGET);
        ObjectNode summary = (ObjectNode) JsonFiles.toTree(a);
        summary.put("command", sweep.command());
        summary.put("sweep_file", sweep.sweepFile());
        JsonFiles.write(dir.resolve(SUMMARY), summary);
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(sweep, a, plots));
        return a;
    }

    static String markdown(SweepRecord sweep, Aggregation a, List<String> plots) {
        StringBuilder md = new StringBuilder("# Sweep report\n\n");
        String metric = "validation " + a.metric();
        long finished = a.runs().stream().filter(RunSummary::finished).count();
        long failed = a.runs().stream().filter(r -> RunResult.FAILED.equals(r.status())).count();
        md.append(String.format(Locale.ROOT, "%d runs: %d finished, %d failed, %d not run yet. Metric: %s (%s is better)%s.%s%n%n",
                a.runs().size(), finished, failed, a.runs().size() - finished - failed, metric, a.lowerIsBetter() ? "lower" : "higher",
                a.threshold() == null ? "" : "; target " + (a.lowerIsBetter() ? "<= " : ">= ") + Stat.number(a.threshold()),
                a.select() == null ? "" : " The tuned key, " + a.select() + ", is chosen on the validation split and reported on the held-out test split."));
        md.append("Figures are mean ± sample standard deviation over seeds, of finished runs; \"best\" is the best evaluation of a run, "
                + "\"final\" its last; the held-out figure is the final model on the test split.\n\n");

        md.append("## Configurations\n\n");
        row(md, "configuration", "runs", "failed", "final " + metric, "best " + metric, "steps to target", "seconds to target", "held-out " + a.metric());
        row(md, "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:");
        for (Aggregation.Configuration c : a.configurations())
            row(md, c.label(), Integer.toString(c.runNames().size()), Integer.toString(c.failed()), c.finalValidation().text(), c.bestValidation().text(),
                    toTarget(a, c, c.stepsToTarget()), toTarget(a, c, c.secondsToTarget()), c.test().text());

        if (!a.tuned().isEmpty()) {
            List<String> others = new ArrayList<>(a.tuned().getFirst().fixed().keySet());
            md.append("\n## Tuned ").append(a.select()).append(others.isEmpty() ? "" : " per " + String.join(", ", others))
                    .append(" (by mean best ").append(metric).append(")\n\n");
            row(md, others.isEmpty() ? "runs" : String.join(", ", others), a.select(), "candidates", "best " + metric, "held-out " + a.metric());
            row(md, "---", "---:", "---:", "---:", "---:");
            for (Aggregation.Choice c : a.tuned())
                row(md, c.fixed().isEmpty() ? "all" : String.join(", ", c.fixed().values().stream().map(SweepPlan::text).toList()), c.chosen() == null ? "none (every candidate had a failed run)" : SweepPlan.text(c.chosen()),
                        Integer.toString(c.candidates()), c.bestValidation().text(), c.test().text());
        }

        md.append("\n## Runs\n\n");
        row(md, "run", "status", "steps", "seconds", "final " + metric, "best " + metric, "steps to target", "held-out " + a.metric());
        row(md, "---", "---", "---:", "---:", "---:", "---:", "---:", "---:");
        for (RunSummary r : a.runs())
            row(md, r.name(), RunResult.FAILED.equals(r.status()) ? "failed: " + r.message() : r.status(), figure(r.steps()), figure(r.seconds()),
                    figure(r.finalValidation()), figure(r.bestValidation()), a.threshold() == null ? "–" : r.stepsToTarget() == null ? "not reached" : figure(r.stepsToTarget()),
                    figure(r.test()));

        md.append("\n## Plots\n\n");
        for (String p : plots) md.append("![").append(p).append("](").append(p).append(")\n\n");
        md.append("## How it was made\n\n```\n").append(sweep.command()).append("\n```\n\nSweep file `").append(sweep.sweepFile()).append("`:\n\n```")
                .append(sweep.sweepFile().endsWith(".json") ? "json" : "yaml").append('\n').append(sweep.sweepText().strip()).append("\n```\n");
        return md.toString();
    }

    private static String toTarget(Aggregation a, Aggregation.Configuration c, Stat s) {
        if (a.threshold() == null) return "–";
        String count = " (" + c.reachedTarget() + "/" + c.finished() + ")";
        return c.reachedTarget() == 0 ? "not reached" + count : s.text() + count;
    }

    private static String figure(Number v) {
        return v == null ? "–" : Stat.number(v.doubleValue());
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", List.of(cells).stream().map(c -> c.replace("|", "\\|").replace("\n", " ")).toList())).append(" |\n");
    }
}
