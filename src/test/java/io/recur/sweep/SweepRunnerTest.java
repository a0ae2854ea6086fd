package io.recur.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.recur.io.JsonFiles;
import io.recur.train.MetricsLog;
import io.recur.train.Trainer;
import io.recur.train.TrainingRun;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps in this process (parallel 1): stopping and continuing, failures, the wall-time budget. */
class SweepRunnerTest {
    private static final String TINY = "base: {backend: cpu, d_model: 8, n_layer: 1, seq_len: 12, vocab: 5, items: 2, batch_size: 8,"
            + " eval_interval: 5, eval_batches: 2, log_interval: 5, warmup: 2}\n";

    private static SweepPlan plan(String yaml) throws Exception {
        return SweepPlan.of(SweepFile.parse(new YAMLMapper().readTree(yaml), "test sweep"));
    }

    private static SweepRunner.Counts sweep(SweepPlan plan, Path out, int maxRuns) throws Exception {
        return new SweepRunner(plan, out, new SweepRunner.Execution(1, maxRuns, "unused"), Events.NONE).run();
    }

    /** Stopping after 3 runs, then a 4th run interrupted after its step-5 checkpoint: the next call trains only what is left. */
    @Test
    void aStoppedSweepContinuesWithoutRedoingFinishedRuns(@TempDir Path out) throws Exception {
        SweepPlan plan = plan(TINY + "axes: {optimizer: [adamw, sgd], lr: [0.01, 0.03], seed: [1, 2]}\nbudget: {steps: 10}\n");
        assertEquals(8, plan.runs().size());
        assertEquals(new SweepRunner.Counts(0, 0, 3, 0, 5), sweep(plan, out, 3));
        SweepRunner runner = new SweepRunner(plan, out, new SweepRunner.Execution(1, 1, "unused"), Events.NONE);
        List<FileTime> before = new ArrayList<>();
        for (SweepPlan.PlannedRun r : plan.runs().subList(0, 3)) {
            assertTrue(JsonFiles.read(runner.folder(r).resolve(RunResult.FILE), RunResult.class).finished());
            before.add(Files.getLastModifiedTime(runner.folder(r).resolve(MetricsLog.FILE)));
            before.add(Files.getLastModifiedTime(runner.folder(r).resolve(RunResult.FILE)));
        }
        for (SweepPlan.PlannedRun r : plan.runs().subList(3, 8)) assertTrue(Files.notExists(runner.folder(r)));

        // what a kill at step 7 leaves: the checkpoint of step 5, the log to step 5, no result.json
        SweepPlan.PlannedRun fourth = plan.runs().get(3);
        Trainer.Listener killAt7 = (step, total, loss, lr, tps) -> { if (step == 7) throw new IllegalStateException("killed"); };
        assertThrows(IllegalStateException.class, () -> TrainingRun.start(fourth.config(), runner.folder(fourth), killAt7, line -> {}));
        assertEquals(5, TrainingCheckpoint.readState(runner.folder(fourth).resolve(Trainer.CHECKPOINT)).step());

        Events events = new Events();
        assertEquals(new SweepRunner.Counts(3, 1, 4, 0, 0), new SweepRunner(plan, out, new SweepRunner.Execution(1, 99, "unused"), events).run());
        assertEquals(List.of(fourth.name() + "@5", plan.runs().get(4).name() + "@0"), events.started.subList(0, 2));
        List<FileTime> after = new ArrayList<>();
        for (SweepPlan.PlannedRun r : plan.runs().subList(0, 3)) {
            after.add(Files.getLastModifiedTime(runner.folder(r).resolve(MetricsLog.FILE)));
            after.add(Files.getLastModifiedTime(runner.folder(r).resolve(RunResult.FILE)));
        }
        assertEquals(before, after);
        for (SweepPlan.PlannedRun r : plan.runs()) assertTrue(JsonFiles.read(runner.folder(r).resolve(RunResult.FILE), RunResult.class).finished(), r.name());

        // the resumed run repeats an uninterrupted one exactly (CPU)
        Path reference = out.resolve("reference");
        TrainingRun.start(fourth.config(), reference, (step, total, loss, lr, tps) -> {}, line -> {});
        assertEquals(losses(reference), losses(runner.folder(fourth)));
        assertEquals(List.of(5L, 10L), MetricsLog.read(runner.folder(fourth)).stream().map(l -> l.get("step").asLong()).toList());

        // killed while scoring: training is over, so only the held-out score is computed again
        SweepPlan.PlannedRun first = plan.runs().getFirst();
        RunResult was = JsonFiles.read(runner.folder(first).resolve(RunResult.FILE), RunResult.class);
        Files.delete(runner.folder(first).resolve(RunResult.FILE));
        assertEquals(new SweepRunner.Counts(7, 0, 0, 0, 0), sweep(plan, out, 99));
        assertEquals(was, JsonFiles.read(runner.folder(first).resolve(RunResult.FILE), RunResult.class));
        assertEquals(before.getFirst(), Files.getLastModifiedTime(runner.folder(first).resolve(MetricsLog.FILE)));
    }

    @Test
    void aDivergingRunIsRecordedAsFailedAndTheSweepGoesOn(@TempDir Path out) throws Exception {
        SweepPlan plan = plan(TINY + "axes: {lr: [1.0e+30, 0.01]}\nbudget: {steps: 5, wall_seconds: 600}\n");
        assertEquals(new SweepRunner.Counts(0, 0, 2, 1, 0), sweep(plan, out, 99));
        SweepRunner runner = new SweepRunner(plan, out, new SweepRunner.Execution(1, 1, "unused"), Events.NONE);
        RunResult diverged = JsonFiles.read(runner.folder(plan.runs().get(0)).resolve(RunResult.FILE), RunResult.class);
        assertEquals(RunResult.FAILED, diverged.status());
        assertTrue(diverged.message().contains("became") && diverged.message().contains("Try a lower --lr"), diverged.message());
        assertTrue(JsonFiles.read(runner.folder(plan.runs().get(1)).resolve(RunResult.FILE), RunResult.class).finished());
        // a failed run is over too: the next call leaves it
        assertEquals(new SweepRunner.Counts(2, 0, 0, 0, 0), sweep(plan, out, 99));
    }

    /** budget.wall_seconds becomes the run's max_seconds: a tiny one stops each run after its first step, with a validation and a checkpoint. */
    @Test
    void theWallTimeBudgetStopsRunsWithACheckpoint(@TempDir Path out) throws Exception {
        SweepPlan plan = plan(TINY + "axes: {seed: [1, 2]}\nbudget: {steps: 50, wall_seconds: 1.0e-9}\n");
        assertEquals(new SweepRunner.Counts(0, 0, 2, 0, 0), sweep(plan, out, 99));
        SweepRunner runner = new SweepRunner(plan, out, new SweepRunner.Execution(1, 1, "unused"), Events.NONE);
        for (SweepPlan.PlannedRun r : plan.runs()) {
            RunResult result = JsonFiles.read(runner.folder(r).resolve(RunResult.FILE), RunResult.class);
            assertEquals(1, result.steps());
            assertEquals(1, TrainingCheckpoint.readState(runner.folder(r).resolve(Trainer.CHECKPOINT)).step());
            List<JsonNode> log = MetricsLog.read(runner.folder(r));
            assertEquals(1, log.size());
            assertTrue(log.getFirst().has("val_token_accuracy"));
        }
        assertEquals(new SweepRunner.Counts(2, 0, 0, 0, 0), sweep(plan, out, 99));   // over, though short of 50 steps
    }

    @Test
    void aRunFolderMadeWithOtherSettingsStopsTheSweepBeforeAnythingRuns(@TempDir Path out) throws Exception {
        sweep(plan(TINY + "axes: {seed: [1]}\nbudget: {steps: 5}\n"), out, 99);   // over (result.json), and still checked
        SweepPlan changed = plan(TINY + "axes: {seed: [1]}\nbudget: {steps: 5}\ntarget: {metric: token_accuracy, threshold: 0.5}\n");
        String m = assertThrows(IllegalArgumentException.class, () -> sweep(changed, out, 99)).getMessage();
        assertTrue(m.contains("seed=1") && m.contains("target null there, 0.5 here") && m.contains("fresh --out"), m);
    }

    private static List<Double> losses(Path folder) throws Exception {
        return MetricsLog.read(folder).stream().map(l -> l.get("loss").asDouble()).toList();
    }

    /** Records the runs started (name@step). */
    private static class Events implements SweepRunner.Listener {
        static final Events NONE = new Events();
        final List<String> started = new ArrayList<>();

        @Override public void begin(int runs, long steps, int doneRuns, long doneSteps) {}

        @Override public synchronized void runStarted(SweepPlan.PlannedRun run, long fromStep) { started.add(run.name() + "@" + fromStep); }

        @Override public void runStep(SweepPlan.PlannedRun run, long step) {}

        @Override public void runEnded(SweepPlan.PlannedRun run, RunResult result) {}
    }
}
