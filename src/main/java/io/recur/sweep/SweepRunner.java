package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.data.Metric;
import io.recur.io.JsonFiles;
import io.recur.train.Evaluation;
import io.recur.train.RunConfig;
import io.recur.train.RunConfigs;
import io.recur.train.Trainer;
import io.recur.train.TrainerState;
import io.recur.train.TrainingRun;
import io.recur.train.checkpoint.TrainingCheckpoint;
import io.recur.sweep.SweepPlan.PlannedRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a sweep's runs into DIR/runs/NAME/, each an ordinary `recur train` folder plus result.json.
 * What a folder holds decides what happens, so a sweep that was stopped continues where it was:
 * result.json → nothing (the run is over, finished or failed); a checkpoint whose run is done (all
 * steps, the target or the wall time reached) → only the held-out score; a checkpoint of an
 * unfinished run → resumed from it; nothing → trained from scratch. A run that fails (e.g. diverges)
 * is recorded as failed with its error, and the sweep goes on.
 *
 * <p>With parallel = 1 the runs train one after another in this process, on all cores. With
 * parallel = N > 1, N runs train at a time, each in its own JVM limited to cores / N threads.
 */
public final class SweepRunner {
    public static final String LOG = "train.log", CONFIG = "sweep-run.json";

    /** What a sweep reports as it goes (e.g. to a progress display); called from several threads when parallel. */
    public interface Listener {
        /** Before any run: how many runs and steps in all, and how many of each are already done. */
        void begin(int runs, long steps, int doneRuns, long doneSteps);

        void runStarted(PlannedRun run, long fromStep);

        void runStep(PlannedRun run, long step);

        void runEnded(PlannedRun run, RunResult result);
    }

    /** What this invocation did: runs skipped as over, resumed, started fresh, failed; and those left for later (maxRuns). */
    public record Counts(int skipped, int resumed, int started, int failed, int left) {}

    /** How the runs execute: parallel runs at a time (child JVMs of mainClass when > 1), at most maxRuns of them this time. */
    public record Execution(int parallel, int maxRuns, String mainClass) {
        public Execution {
            if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
            if (maxRuns < 1) throw new IllegalArgumentException("--max-runs must be >= 1, got " + maxRuns);
        }
    }

    private enum Work { SKIP, SCORE, RESUME, START }

    private final SweepPlan plan;
    private final Path runs;
    private final Execution execution;
    private final Listener listener;
    private final Object scoring = new Object();

    public SweepRunner(SweepPlan plan, Path out, Execution execution, Listener listener) {
        this.plan = plan;
        this.runs = out.resolve(SweepRecord.RUNS);
        this.execution = execution;
        this.listener = listener;
    }

    public Path folder(PlannedRun run) { return runs.resolve(run.name()); }

    /** Fails, naming the run, if a run folder holds a checkpoint made with other settings than the plan's (run checks this too). */
    public void check() throws IOException {
        for (PlannedRun r : plan.runs()) inspect(r);
    }

    public Counts run() throws IOException, InterruptedException {
        List<Work> work = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        int doneRuns = 0;
        long totalSteps = 0, doneSteps = 0;
        for (PlannedRun r : plan.runs()) {
            long step = 0;
            Work w = inspect(r);
            if (w == Work.RESUME || w == Work.SCORE) step = TrainingCheckpoint.readState(checkpoint(r)).step();
            work.add(w);
            from.add(step);
            totalSteps += r.config().steps();
            if (w == Work.SKIP) { doneRuns++; doneSteps += r.config().steps(); } else doneSteps += step;
        }
        listener.begin(plan.runs().size(), totalSteps, doneRuns, doneSteps);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / execution.parallel());
        List<Future<RunResult>> futures = new ArrayList<>();
        List<Work> scheduled = new ArrayList<>();
        int left = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(execution.parallel())) {
            for (int i = 0; i < plan.runs().size(); i++) {
                PlannedRun r = plan.runs().get(i);
                Work w = work.get(i);
                if (w == Work.SKIP) continue;
                if (scheduled.size() == execution.maxRuns()) { left++; continue; }
                long step = from.get(i);
                futures.add(pool.submit(() -> execute(r, w, step, threads)));
                scheduled.add(w);
            }
            int failed = 0;
            for (Future<RunResult> f : futures) {
                try {
                    if (!f.get().finished()) failed++;
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof IOException io) throw io;
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
            }
            return new Counts(doneRuns, (int) scheduled.stream().filter(w -> w == Work.RESUME).count(),
                    (int) scheduled.stream().filter(w -> w == Work.START).count(), failed, left);
        }
    }

    /** What a run's folder says is left to do; a run made with other settings stops the sweep before anything runs. */
    private Work inspect(PlannedRun r) throws IOException {
        Path folder = folder(r);
        boolean started = Files.isDirectory(checkpoint(r));
        // the settings the run was started with: sweep-run.json (written first), else its checkpoint's
        RunConfig saved = Files.isRegularFile(folder.resolve(CONFIG)) ? RunConfigs.merge(RunConfig.defaults(), folder.resolve(CONFIG), java.util.Map.of())
                : started ? TrainingCheckpoint.readRun(checkpoint(r)) : null;
        if (saved != null && !saved.equals(r.config())) {
            JsonNode a = JsonFiles.toTree(saved), b = JsonFiles.toTree(r.config());
            List<String> differ = new ArrayList<>();
            b.fieldNames().forEachRemaining(k -> { if (!a.path(k).equals(b.path(k))) differ.add(k + " " + a.path(k) + " there, " + b.path(k) + " here"); });
            throw new IllegalArgumentException("the run in " + folder + " was made with other settings than the sweep file gives (" + String.join("; ", differ)
                    + "); sweep into a fresh --out, or delete that folder to run it again");
        }
        if (Files.isRegularFile(folder.resolve(RunResult.FILE))) return Work.SKIP;
        if (!started) return Work.START;
        return trainingOver(r.config(), TrainingCheckpoint.readState(checkpoint(r))) ? Work.SCORE : Work.RESUME;
    }

    private boolean trainingOver(RunConfig c, TrainerState s) {
        return s.step() >= c.steps() || (c.maxSeconds() != null && s.elapsedSeconds() >= c.maxSeconds()) || reached(c, s.validationMetric());
    }

    private boolean reached(RunConfig c, Double value) {
        if (c.target() == null || value == null || Double.isNaN(value)) return false;
        return plan.metric() == Metric.MSE ? value <= c.target() : value >= c.target();
    }

    private RunResult execute(PlannedRun r, Work w, long fromStep, int threads) throws IOException {
        Path folder = folder(r);
        RunResult result;
        try {
            if (w != Work.SCORE) {
                listener.runStarted(r, fromStep);
                Files.createDirectories(folder);
                JsonFiles.write(folder.resolve(CONFIG), r.config());
                if (execution.parallel() == 1) trainHere(r, folder, w == Work.RESUME);
                else ChildRun.train(execution.mainClass(), threads, folder.resolve(CONFIG), folder, w == Work.RESUME, step -> listener.runStep(r, step));
            }
            result = score(r);
        } catch (IOException | RuntimeException e) {
            result = RunResult.failed(String.valueOf(e.getMessage()), lastStep(r), 0, SweepPlan.key(plan.metric()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the sweep was interrupted", e);
        }
        JsonFiles.write(folder.resolve(RunResult.FILE), result);
        listener.runEnded(r, result);
        return result;
    }

    private void trainHere(PlannedRun r, Path folder, boolean resume) throws IOException {
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(folder.resolve(LOG), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            Trainer.Listener steps = (step, total, loss, lr, tokensPerSecond) -> listener.runStep(r, step);
            java.util.function.Consumer<String> announce = line -> { log.println("train: " + line); log.flush(); };
            try {
                if (resume) TrainingRun.resume(r.config(), folder, steps, announce);
                else TrainingRun.start(r.config(), folder, steps, announce);
            } catch (IOException | RuntimeException e) {
                log.println("recur: " + e.getMessage());
                throw e;
            }
        }
    }

    /** The finished run's figures from its checkpoint, and its held-out score (one at a time: runs in child JVMs share this process). */
    private RunResult score(PlannedRun r) throws IOException {
        synchronized (scoring) {
            TrainerState s = TrainingCheckpoint.readState(checkpoint(r));
            Evaluation.Result test = HeldOut.score(r.config(), checkpoint(r));
            return new RunResult(RunResult.FINISHED, null, s.step(), s.elapsedSeconds(), reached(r.config(), s.validationMetric()),
                    SweepPlan.key(plan.metric()), s.validationMetric(), test.value(), test.loss());
        }
    }

    private long lastStep(PlannedRun r) {
        try {
            return Files.isDirectory(checkpoint(r)) ? TrainingCheckpoint.readState(checkpoint(r)).step() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private Path checkpoint(PlannedRun r) { return folder(r).resolve(Trainer.CHECKPOINT); }
}
