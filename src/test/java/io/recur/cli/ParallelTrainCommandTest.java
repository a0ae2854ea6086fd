package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `recur train --evaluation …` (the model named: the default model may change): a GRU trained with DEER follows the sequential run's losses. */
class ParallelTrainCommandTest {
    @Test
    void deerTrainsLikeSequentialBackpropagation(@TempDir Path dir) throws Exception {
        List<Double> sequential = losses(dir.resolve("seq"), "sequential");
        List<Double> deer = losses(dir.resolve("deer"), "deer");
        assertEquals(sequential.size(), deer.size());
        for (int i = 0; i < deer.size(); i++)
            assertEquals(sequential.get(i), deer.get(i), 2e-3 * Math.max(1, sequential.get(i)), "training loss at log line " + i);
        assertEquals("deer", TrainingCheckpoint.readRun(dir.resolve("deer").resolve("checkpoint")).evaluation());
    }

    @Test
    void everyMethodRunsAndABadOneIsNamed(@TempDir Path dir) throws Exception {
        for (String method : new String[] {"quasi-deer", "elk", "quasi-elk"}) {
            CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve(method).toString(), "--model", "gru", "--evaluation", method, "--steps", "10")));
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("layers evaluated by " + method), r.out());
            assertTrue(r.out().matches("(?s).*train: " + method + ": \\d+ solves, [0-9.]+ iterations on average.*"), r.out());
        }
        CliRun bad = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve("bad").toString(), "--model", "gru", "--evaluation", "newton")));
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("evaluation must be sequential or a parallel method") && bad.err().contains("quasi-elk"), bad.err());
        CliRun mamba = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve("mamba").toString(), "--evaluation", "deer", "--model", "mamba")));
        assertNotEquals(0, mamba.exitCode());
        assertTrue(mamba.err().contains("has none; use --model gru or lstm"), mamba.err());
    }

    @Test
    void newtonSettingsReachTheSolverAndEveryMetricsLineCountsItsIterations(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("elk");
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--out", out.toString(), "--model", "gru", "--evaluation", "elk", "--steps", "4",
                "--log-interval", "1", "--damping", "1e3", "--newton-iterations", "2")));
        assertEquals(0, r.exitCode(), r.err());
        // λ = 1e3 takes steps of ~1e-3 of Newton's: two iterations cannot converge, and the run says so at once
        assertTrue(r.out().contains("warning: elk: 1 of 1 solves did not converge") && r.out().contains("after 2 iterations"), r.out());
        assertTrue(r.out().contains("A smaller --damping or more --newton-iterations may help."), r.out());
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(4, lines.size());
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertEquals(2.0, n.get("newton_iterations").asDouble(), line);
            assertEquals(2, n.get("newton_max_iterations").asInt(), line);
            assertTrue(n.get("newton_not_converged").asInt() >= 1, line);
        }
        CliRun converged = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve("deer").toString(), "--model", "gru", "--evaluation", "deer",
                "--steps", "2", "--log-interval", "1", "--newton-tolerance", "1e-5")));
        assertEquals(0, converged.exitCode(), converged.err());
        assertTrue(!converged.out().contains("warning"), converged.out());
        JsonNode first = json.readTree(Files.readAllLines(dir.resolve("deer").resolve("metrics.jsonl")).getFirst());
        assertEquals(0, first.get("newton_not_converged").asInt());
        assertTrue(first.get("newton_iterations").asDouble() >= 2, first.toString());
        CliRun bad = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve("bad").toString(), "--model", "gru", "--evaluation", "elk", "--damping", "-1")));
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("damping, newton_tolerance and newton_iterations must be finite and >= 0"), bad.err());
    }

    private static List<Double> losses(Path out, String evaluation) throws Exception {
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--out", out.toString(), "--model", "gru", "--evaluation", evaluation, "--log-interval", "5")));
        assertEquals(0, r.exitCode(), r.err());
        List<Double> losses = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.has("loss")) losses.add(n.get("loss").asDouble());
        }
        assertEquals(4, losses.size(), "log lines of " + evaluation);
        return losses;
    }
}
