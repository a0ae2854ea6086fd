package io.recur.cli;

import io.recur.sweep.RunResult;
import io.recur.sweep.SweepPlan.PlannedRun;
import io.recur.sweep.SweepRunner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The sweep's one progress bar (on stderr), over the steps of all runs, so that its ETA covers the
 * whole sweep: runs over of all, and the step of each run in progress (kept short: the names are
 * long, and the bar needs the width); and a line on the console, with the run's name, as each ends.
 */
final class SweepProgress implements SweepRunner.Listener, AutoCloseable {
    private final PrintWriter console;
    private final Map<String, long[]> active = new LinkedHashMap<>();   // name → (step, steps)
    private ProgressBar bar;
    private int runs, ended;
    private long finishedSteps;

    SweepProgress(PrintWriter console) { this.console = console; }

    @Override
    public synchronized void begin(int runs, long steps, int doneRuns, long doneSteps) {
        this.runs = runs;
        this.ended = doneRuns;
        this.finishedSteps = doneSteps;
        bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(steps).startsFrom(doneSteps, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
        if (doneRuns > 0) say(doneRuns + " of " + runs + " runs are already over" + (doneRuns < runs ? "; continuing with the rest" : ""));
        update();
    }

    @Override
    public synchronized void runStarted(PlannedRun run, long fromStep) {
        // steps a resumed run had done were counted in begin
        active.put(run.name(), new long[] {fromStep, run.config().steps(), fromStep});
        update();
    }

    @Override
    public synchronized void runStep(PlannedRun run, long step) {
        long[] a = active.get(run.name());
        if (a != null && step > a[0]) a[0] = step;
        update();
    }

    @Override
    public synchronized void runEnded(PlannedRun run, RunResult result) {
        long[] a = active.remove(run.name());
        long from = a == null ? run.config().steps() : a[2];
        finishedSteps += run.config().steps() - from;   // a run that stops early (target, wall time) counts as all its steps
        ended++;
        update();
        String figures = result.finished()
                ? String.format(Locale.ROOT, "step %d, validation %s %s, held-out %s%s", result.steps(), result.metric(), number(result.validation()),
                        number(result.test()), result.reachedTarget() ? " (target reached)" : "")
                : "FAILED: " + result.message();
        say(String.format(Locale.ROOT, "[%d/%d] %s: %s", ended, runs, run.name(), figures));
    }

    private void update() {
        if (bar == null) return;
        long steps = finishedSteps;
        StringBuilder running = new StringBuilder();
        for (var e : active.entrySet()) {
            steps += e.getValue()[0] - e.getValue()[2];
            running.append(running.isEmpty() ? " | steps " : ", ").append(e.getValue()[0]).append('/').append(e.getValue()[1]);
        }
        bar.stepTo(steps);
        bar.setExtraMessage(" runs " + ended + "/" + runs + running);
    }

    private void say(String line) {
        console.println("sweep: " + line);
        console.flush();
    }

    private static String number(Double v) { return v == null ? "–" : String.format(Locale.ROOT, "%.4g", v); }

    @Override
    public synchronized void close() { if (bar != null) bar.close(); }
}
