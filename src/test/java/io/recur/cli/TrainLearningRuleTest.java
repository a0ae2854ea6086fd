package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.learn.LearningRule;
import io.recur.train.RunConfig;
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

    /**
     * Adaptive feedback weights move every step and are saved with the checkpoint: 10 steps and 10
     * resumed ones write the same weights, optimizer state and feedback, byte for byte, as 20 straight
     * steps (a constant learning rate, so the schedule does not depend on the planned length).
     */
    @Test
    void anAdaptiveFeedbackRunResumesExactly(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight"), halves = dir.resolve("halves");
        String[] constant = {"--warmup", "0", "--min-lr-ratio", "1", "--eval-interval", "10", "--steps", "20"};
        CliRun whole = CliRun.of(concat(lsnn(straight, "eprop-adaptive", "evidence"), constant));
        assertEquals(0, whole.exitCode(), whole.err());
        CliRun first = CliRun.of(concat(concat(lsnn(halves, "eprop-adaptive", "evidence"), constant), "--steps", "10"));
        assertEquals(0, first.exitCode(), first.err());
        CliRun second = CliRun.of("train", "--out", halves.toString(), "--resume", "--steps", "20");
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("resuming at step 10 of 20"), second.out());
        for (String file : new String[] {"model.safetensors", "optimizer.safetensors", TrainingCheckpoint.FEEDBACK})
            assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint").resolve(file)), Files.readAllBytes(halves.resolve("checkpoint").resolve(file)),
                    file + " after 10 + 10 steps differs from 20 straight steps");
        double[] feedback = TrainingCheckpoint.readFeedback(halves.resolve("checkpoint")).orElseThrow();
        assertEquals(8 * 2, feedback.length, "(neurons, outputs) feedback weights");
    }

    /**
     * --rate-reg reaches e-prop: saved in run.json, and a strong pull toward a high rate changes the
     * trained weights (same seed and data); BPTT refuses it rather than ignoring it.
     */
    @Test
    void rateRegularisationIsAnOptionOfEprop(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain"), regularised = dir.resolve("regularised");
        assertEquals(0, CliRun.of(lsnn(plain, "eprop-symmetric", "evidence")).exitCode());
        CliRun r = CliRun.of(concat(lsnn(regularised, "eprop-symmetric", "evidence"), "--rate-reg", "5", "--target-rate", "200"));
        assertEquals(0, r.exitCode(), r.err());
        RunConfig saved = TrainingCheckpoint.readRun(regularised.resolve("checkpoint"));
        assertEquals(5.0, saved.rateReg());
        assertEquals(200.0, saved.targetRate());
        assertEquals(0.0, TrainingCheckpoint.readRun(plain.resolve("checkpoint")).rateReg(), "off by default");
        assertFalse(Arrays.equals(Files.readAllBytes(plain.resolve("checkpoint").resolve("model.safetensors")),
                Files.readAllBytes(regularised.resolve("checkpoint").resolve("model.safetensors"))), "rate regularisation changed nothing");
        CliRun bptt = CliRun.of(concat(lsnn(dir.resolve("bptt"), "bptt", "evidence"), "--rate-reg", "1"));
        assertNotEquals(0, bptt.exitCode());
        assertTrue(bptt.err().contains("rate_reg regularises e-prop's firing rates"), bptt.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String[] lstm(Path out, String learning, String layers, String steps) {
        return CliRun.train("--backend", "cpu", "--model", "lstm", "--task", "adding", "--seq-len", "10", "--d-model", "8", "--n-layer", layers,
                "--steps", steps, "--batch-size", "4", "--eval-interval", "2", "--eval-batches", "1", "--warmup", "1", "--lr", "0.01",
                "--learning", learning, "--out", out.toString());
    }

    /** A one-layer LSTM trains with every kind of e-prop feedback, and its weights move: 2 and 4 steps end apart. */
    @Test
    void epropTrainsAOneLayerLstm(@TempDir Path dir) throws Exception {
        for (String rule : new String[] {"eprop-symmetric", "eprop-random", "eprop-adaptive"}) {
            byte[][] weights = new byte[2][];
            for (int i = 0; i < 2; i++) {
                Path out = dir.resolve(rule + i);
                CliRun r = CliRun.of(lstm(out, rule, "1", i == 0 ? "2" : "4"));
                assertEquals(0, r.exitCode(), rule + ": " + r.err());
                weights[i] = Files.readAllBytes(out.resolve("checkpoint").resolve("model.safetensors"));
            }
            assertFalse(Arrays.equals(weights[0], weights[1]), rule + ": the weights did not change");
        }
        CliRun deep = CliRun.of(lstm(dir.resolve("deep"), "eprop-symmetric", "2", "2"));
        assertNotEquals(0, deep.exitCode());
        assertTrue(deep.err().contains("use --n-layer 1 (got 2)"), deep.err());
    }

    @Test
    void epropNeedsASpikingNetworkAndAKnownRule(@TempDir Path dir) {
        CliRun gru = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.resolve("gru").toString(), "--learning", "eprop-random")));
        assertNotEquals(0, gru.exitCode());
        assertTrue(gru.err().contains("has none: use --learning bptt"), gru.err());
        CliRun unknown = CliRun.of(lsnn(dir.resolve("x"), "eprop-magic", "evidence"));
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown learning rule 'eprop-magic'"), unknown.err());
    }
}
