package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.backend.Backends;
import io.recur.nn.SequenceModel;
import io.recur.train.EvalData;
import io.recur.train.Evaluation;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval and generate on a byte-level model trained for a few steps on a generated text. */
class EvalGenerateCommandTest {
    @TempDir static Path dir;
    static Path text, checkpoint;

    @BeforeAll
    static void trainAByteModel() throws Exception {
        text = dir.resolve("corpus.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) sb.append("the cat sat on mat ").append(i % 7).append(". ");
        Files.writeString(text, sb);
        CliRun r = CliRun.of("train", "--backend", "cpu", "--task", "bytes:" + text, "--seq-len", "16", "--d-model", "16", "--n-layer", "1",
                "--steps", "10", "--warmup", "2", "--batch-size", "4", "--eval-interval", "10", "--eval-batches", "1", "--out", dir.resolve("run").toString());
        assertEquals(0, r.exitCode(), r.err());
        checkpoint = dir.resolve("run").resolve("checkpoint");
    }

    @Test
    void evalPrintsTheLossOfTheCheckpointAsInProcess() throws Exception {
        CliRun r = CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--data", text.toString(), "--seq-len", "32", "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(Files.size(text) - 1, json.get("tokens").asLong());   // every byte after the first, once
        try (SequenceModel m = TrainingCheckpoint.loadModel(checkpoint, Backends.cpu())) {
            Evaluation.Result expected = Evaluation.run(m, EvalData.fromFile(text, m.config(), 32, 16));
            assertEquals(expected.loss(), json.get("loss").asDouble());
            assertEquals(expected.value(), json.get("accuracy").asDouble());
        }
        assertTrue(json.get("loss").asDouble() < Math.log(256), "no better than uniform: " + json);
    }

    @Test
    void evalReadsNpyTokenIds() throws Exception {
        Path npy = dir.resolve("ids.npy");
        Files.write(npy, npy(3, 9));
        CliRun r = CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--data", npy.toString(), "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3 * 8, new ObjectMapper().readTree(r.out()).get("tokens").asInt());
    }

    /** An int64 (rows, cols) array of "the cat sat" repeated, as np.save writes it. */
    static byte[] npy(int rows, int cols) {
        int[] values = new int[rows * cols];
        for (int i = 0; i < values.length; i++) values[i] = "the cat sat".charAt(i % 11);
        return npy(rows, cols, values, 8);
    }

    /** Token ids (rows, cols) as np.save writes them (format 1.0), int32 ({@code width} 4) or int64 (8). */
    static byte[] npy(int rows, int cols, int[] values, int width) {
        String header = "{'descr': '<i" + width + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + header.length() + 1;
        header += " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + width * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length()).put(header.getBytes());
        for (int v : values) {
            if (width == 4) b.putInt(v);
            else b.putLong(v);
        }
        return b.array();
    }

    @Test
    void evalErrorsAreClear() throws Exception {
        CliRun missing = CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--data", dir.resolve("nope.txt").toString(), "--backend", "cpu");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope.txt: no such data file"), missing.err());
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(checkpoint.resolve("model.safetensors"), broken.resolve("model.safetensors"));
        Files.writeString(broken.resolve("config.json"), Files.readString(checkpoint.resolve("config.json")).replace("\"d_model\" : 16", "\"d_model\" : 24"));
        CliRun misfit = CliRun.of("eval", "--checkpoint", broken.toString(), "--data", text.toString(), "--backend", "cpu");
        assertEquals(1, misfit.exitCode());
        assertTrue(misfit.err().contains("does not fit the model") && misfit.err().contains("has shape [256, 16] in the state dict but [256, 24] in the model"), misfit.err());
        CliRun noCheckpoint = CliRun.of("eval", "--checkpoint", dir.resolve("none").toString(), "--data", text.toString());
        assertTrue(noCheckpoint.err().contains("no such checkpoint folder"), noCheckpoint.err());
    }

    @Test
    void generateContinuesThePromptReproducibly() {
        String[] args = {"generate", "--checkpoint", checkpoint.toString(), "--prompt", "the cat", "--tokens", "30", "--seed", "5", "--temperature", "1", "--backend", "cpu"};
        CliRun a = CliRun.of(args), b = CliRun.of(args);
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(a.out().startsWith("the cat"), a.out());
        assertEquals(a.out(), b.out());
        args[7] = "6";
        assertNotEquals(a.out(), CliRun.of(args).out());
    }

    @Test
    void generateNeedsAByteModel(@TempDir Path other) {
        CliRun trained = CliRun.of(CliRun.train(CliRun.tiny("--steps", "10", "--eval-interval", "10", "--out", other.toString())));
        assertEquals(0, trained.exitCode(), trained.err());
        CliRun r = CliRun.of("generate", "--checkpoint", other.resolve("checkpoint").toString(), "--prompt", "x", "--backend", "cpu");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("generate needs a byte-level language model"), r.err());
    }
}
