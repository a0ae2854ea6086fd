package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.learn.LearningRule;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLearningRuleTest {
    private static String[] lsnn(Path out, String learning, String task) {
        return CliRun.train("--backend", "cpu", "--model", "lsnn", "--task", task, "--seq-len", "32", "--d-model", "8", "--n-layer", "1",
                "--steps", "4", "--batch-size", "4", "--eval-interval", "2", "--eval-batches", "1", "--warmup", "1", "--lr", "0.01",
                "--learning", learning, "--out", out.toString());
    }

    @Test
    void everyLearningRuleTrainsASpikingNetworkFromTheCli(@TempDir Path dir) throws Exception {
        Map<String, byte[]> weights = new HashMap<>();
        for (String rule : LearningRule.NAMES) {
            Path out = dir.resolve(rule);
            CliRun r = CliRun.of(lsnn(out, rule, "evidence"));
            assertEquals(0, r.exitCode(), rule + ": " + r.err());
            assertTrue(r.out().contains("train: lsnn (d_model 8, 1 layers"), r.out());
            assertTrue(r.out().matches("(?s).*step 4: training loss [0-9.]+, validation token accuracy [0-9.]+%.*"), r.out());
            assertEquals(rule, TrainingCheckpoint.readRun(out.resolve("checkpoint")).learning());
            weights.put(rule, Files.readAllBytes(out.resolve("checkpoint").resolve("model.safetensors")));
        }
        // Same seed and data: the rules differ only in their gradients, so the trained weights must differ.
        for (String a : LearningRule.NAMES)
            for (String b : LearningRule.NAMES)
                if (a.compareTo(b) < 0) assertFalse(Arrays.equals(weights.get(a), weights.get(b)), a + " and " + b + " trained the same weights");
    }

    /** On a CUDA backend the trainer uses the fused e-prop kernel (here simulated on the CPU). */
    @Test
    void epropTrainsOnTheCudaBackend(@TempDir Path dir) {
        String[] args = lsnn(dir, "eprop-symmetric", "evidence");
        for (int i = 0; i < args.length; i++) if (args[i].equals("cpu")) args[i] = "cuda-sim";
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("CUDA kernels simulated on the CPU"), r.out());
        assertTrue(r.out().matches("(?s).*step 4: training loss [0-9.]+, validation token accuracy [0-9.]+%.*"), r.out());
    }

    @Test
    void storeRecallTrainsWithEprop(@TempDir Path dir) {
        CliRun r = CliRun.of(lsnn(dir, "eprop-adaptive", "store-recall"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("on store-recall (length 32)"), r.out());
    }

    @Test
    void epropNeedsASpikingNetworkAndAKnownRule(@TempDir Path dir) {
        CliRun gru = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve("gru").toString(), "--learning", "eprop-random")));
        assertNotEquals(0, gru.exitCode());
        assertTrue(gru.err().contains("trains spiking networks only: use --model lsnn"), gru.err());
        CliRun unknown = CliRun.of(lsnn(dir.resolve("x"), "eprop-magic", "evidence"));
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown learning rule 'eprop-magic'"), unknown.err());
    }
}
