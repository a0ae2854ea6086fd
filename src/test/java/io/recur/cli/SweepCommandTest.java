package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Split;
import io.recur.data.Task;
import io.recur.nn.SequenceModel;
import io.recur.train.Evaluation;
import io.recur.train.RunConfig;
import io.recur.train.Tasks;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    private static final String SWEEP = """
            base: {backend: cpu, d_model: 8, n_layer: 1, seq_len: 12, vocab: 5, items: 2, batch_size: 8,
                   eval_interval: 5, eval_batches: 2, log_interval: 5, warmup: 2}
            axes:
              optimizer: [adamw, sgd]
              lr: {log_grid: [0.003, 0.03, 2]}
              seed: [1, 2]
            budget: {steps: 10}
            target: {metric: token_accuracy, threshold: 0.99}
            """;

    /** 2 optimizers × 2 learning rates × 2 seeds, two runs at a time in their own JVMs, then the report. */
    @Test
    void aTinySweepRunsEndToEndAndItsReportListsEightRunsInFourConfigurations(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.yaml"), out = dir.resolve("out");
        Files.writeString(file, SWEEP);
        CliRun r = CliRun.of("sweep", file.toString(), "--out", out.toString(), "--parallel", "2");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("sweep: 8 runs (2 optimizer x 2 lr x 2 seed)") && r.out().contains("[8/8]")
                && r.out().contains("8 runs trained (0 resumed), 0 failed"), r.out());

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(8, summary.get("runs").size());
        assertEquals(4, summary.get("configurations").size());
        assertEquals(2, summary.get("tuned").size());
        for (JsonNode run : summary.get("runs")) assertEquals("finished", run.get("status").asText(), run.toString());
        String md = Files.readString(out.resolve("report.md"));
        assertEquals(4, md.lines().filter(l -> l.startsWith("| optimizer=") && !l.contains("_seed=")).count(), md);
        assertEquals(8, md.lines().filter(l -> l.startsWith("| optimizer=") && l.contains("_seed=")).count(), md);
        assertTrue(md.contains("recur sweep " + file + " --out " + out + " --parallel 2") && md.contains("log_grid: [0.003, 0.03, 2]"), md);
        for (String png : List.of("curves-step.png", "curves-time.png", "final-vs-lr.png")) assertTrue(Files.size(out.resolve(png)) > 1000, png);

        // each run is an ordinary training folder with the combination's settings, and its held-out figure is its checkpoint on the test split
        Path run = out.resolve("runs").resolve("optimizer=sgd_lr=0.03_seed=2");
        RunConfig saved = TrainingCheckpoint.readRun(run.resolve("checkpoint"));
        assertEquals("sgd", saved.optimizer());
        assertEquals(0.03, saved.lr());
        assertEquals(2, saved.seed());
        assertEquals(10, saved.steps());
        assertEquals(0.99, saved.target());
        assertEquals(8, saved.dModel());
        JsonNode result = new ObjectMapper().readTree(run.resolve("result.json").toFile());
        Task task = Tasks.create(saved);
        List<Batch> test = LongStream.range(0, 2).mapToObj(i -> task.batch(Split.TEST, i, 8)).toList();
        try (SequenceModel model = TrainingCheckpoint.loadModel(run.resolve("checkpoint"), Backends.cpu())) {
            Evaluation.Result expected = Evaluation.run(model, test);
            assertEquals(expected.value(), result.get("test").asDouble(), 1e-12);
            assertEquals(expected.loss(), result.get("test_loss").asDouble(), 1e-12);
        }

        // report again from the folder alone
        Files.delete(out.resolve("report.md"));
        CliRun report = CliRun.of("report", out.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(report.out().contains("(8 runs, 4 configurations)"), report.out());
        assertEquals(md, Files.readString(out.resolve("report.md")));
    }

    @Test
    void aMalformedSweepFileIsReportedByFieldAndNothingRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml"), out = dir.resolve("out");
        Files.writeString(file, SWEEP.replace("budget: {steps: 10}", "budget: {steps: 10, wallclock: 60}"));
        CliRun r = CliRun.of("sweep", file.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("unknown field 'budget.wallclock'; allowed: steps, wall_seconds"), r.err());
        assertTrue(Files.notExists(out));
        CliRun notASweep = CliRun.of("report", dir.toString());
        assertEquals(1, notASweep.exitCode());
        assertTrue(notASweep.err().contains("sweep.json"), notASweep.err());
    }
}
