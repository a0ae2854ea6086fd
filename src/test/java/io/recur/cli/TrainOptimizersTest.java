package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.train.RunConfig;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `recur train --optimizer X` for every optimizer: a tiny run exits 0, and 10 steps plus 10
 * resumed steps write the same model and optimizer state, byte for byte, as 20 straight steps (a
 * constant learning rate, so the schedule does not depend on the planned length; roots and bases
 * are refreshed every 3 steps, so the resumed half starts between two refreshes).
 */
class TrainOptimizersTest {
    @ParameterizedTest @ValueSource(strings = {"shampoo", "soap", "adamw", "sgd"})
    void aTinyRunTrainsAndResumesExactly(String optimizer, @TempDir Path dir) throws Exception {
        String straight = dir.resolve("straight").toString(), halves = dir.resolve("halves").toString();
        String[] common = {"--optimizer", optimizer, "--precondition-frequency", "3", "--max-block-size", "12", "--min-lr-ratio", "1",
                "--warmup", "0", "--lr", "0.01"};
        CliRun whole = CliRun.of(CliRun.train(CliRun.tiny(concat(common, "--out", straight))));
        assertEquals(0, whole.exitCode(), whole.err());
        assertTrue(whole.out().contains("with " + optimizer), whole.out());
        CliRun first = CliRun.of(CliRun.train(CliRun.tiny(concat(common, "--out", halves, "--steps", "10"))));
        assertEquals(0, first.exitCode(), first.err());
        CliRun second = CliRun.of("train", "--out", halves, "--resume", "--steps", "20");
        assertEquals(0, second.exitCode(), second.err());
        RunConfig saved = TrainingCheckpoint.readRun(Path.of(halves, "checkpoint"));
        assertEquals(optimizer, saved.optimizer());
        assertEquals(3, saved.preconditionFrequency());
        assertEquals(12, saved.maxBlockSize());
        for (String file : new String[] {"model.safetensors", "optimizer.safetensors"})
            assertArrayEquals(Files.readAllBytes(Path.of(straight, "checkpoint", file)), Files.readAllBytes(Path.of(halves, "checkpoint", file)),
                    optimizer + ": " + file + " after 10 + 10 steps differs from 20 straight steps");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
