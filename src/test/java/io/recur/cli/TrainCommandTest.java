package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.autograd.Tape;
import io.recur.backend.Backends;
import io.recur.io.JsonFiles;
import io.recur.io.SafeTensors;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.nn.SequenceModel;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaLM;
import io.recur.nn.mamba.SsmConfig;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.train.RunConfig;
import io.recur.train.Trainer;
import io.recur.train.checkpoint.MambaCheckpoint;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @Test
    void aTinyRunWritesMetricsPlotAndCheckpoint(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.toString())));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("train: mamba (d_model 16, 1 layers"), r.out());
        assertTrue(r.out().matches("(?s).*step 20: training loss [0-9.]+, validation token accuracy [0-9.]+% \\(loss [0-9.]+\\).*"), r.out());
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.jsonl")).size());   // steps 10 and 20 at the default log interval
        assertTrue(Files.size(dir.resolve(Trainer.PLOT)) > 1000);
        for (String f : List.of("model.safetensors", "config.json", "optimizer.safetensors", "trainer.json", "run.json"))
            assertTrue(Files.isRegularFile(dir.resolve("checkpoint").resolve(f)), "checkpoint lacks " + f);
    }

    @Test
    void optionsOverrideTheConfigFileAndResumeExtendsTheRun(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("run.json");
        Files.writeString(config, "{\"steps\": 30, \"lr\": 0.01, \"model\": \"lstm\"}");
        Path out = dir.resolve("out");
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--config", config.toString(), "--out", out.toString())));
        assertEquals(0, r.exitCode(), r.err());
        RunConfig saved = TrainingCheckpoint.readRun(out.resolve("checkpoint"));
        assertEquals(20, saved.steps());     // the option beats the file
        assertEquals(0.01, saved.lr());      // the file beats the default
        assertEquals("lstm", saved.model());
        CliRun resumed = CliRun.of("train", "--out", out.toString(), "--resume", "--steps", "30");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming at step 20 of 30") && resumed.out().contains("step 30:"), resumed.out());
        assertEquals(30, TrainingCheckpoint.readState(out.resolve("checkpoint")).step());
    }

    /** run.json from before max_seconds existed: the key takes its default (no limit) and the run resumes. */
    @Test
    void aCheckpointWithoutNewerKeysStillResumes(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.toString(), "--max-seconds", "3600")));
        assertEquals(0, r.exitCode(), r.err());
        Path runJson = dir.resolve("checkpoint").resolve("run.json");
        String old = Files.readString(runJson).replaceAll("\\s*\"max_seconds\" : 3600.0,", "");
        assertFalse(old.contains("max_seconds"), old);
        Files.writeString(runJson, old);
        assertEquals(null, TrainingCheckpoint.readRun(dir.resolve("checkpoint")).maxSeconds());
        CliRun resumed = CliRun.of("train", "--out", dir.toString(), "--resume", "--steps", "30");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming at step 20 of 30") && resumed.out().contains("step 30:"), resumed.out());
    }

    @Test
    void maxSecondsStopsTheRunWithACheckpoint(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--out", dir.toString(), "--max-seconds", "1e-9")));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("step 1 (max_seconds 1.0E-9 reached): training loss"), r.out());
        assertEquals(1, TrainingCheckpoint.readState(dir.resolve("checkpoint")).step());
    }

    @Test
    void aYamlConfigFileWorksLikeAJsonOne(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, "# a comment\nmodel: lstm\nlr: 0.02\nweight_decay: 0.1\n");
        Path out = dir.resolve("out");
        CliRun r = CliRun.of(CliRun.train(CliRun.tiny("--config", config.toString(), "--out", out.toString())));
        assertEquals(0, r.exitCode(), r.err());
        RunConfig saved = TrainingCheckpoint.readRun(out.resolve("checkpoint"));
        assertEquals("lstm", saved.model());
        assertEquals(0.02, saved.lr());
        assertEquals(0.1, saved.weightDecay());
    }

    /** Hawk and Griffin train as whole models; eval and generate rebuild them from config.json's model_type. */
    @Test
    void hawkAndGriffinTrainAndTheirCheckpointsLoad(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(40));
        for (String model : List.of("hawk", "griffin")) {
            Path out = dir.resolve(model);
            CliRun r = CliRun.of("train", "--model", model, "--backend", "cpu", "--task", "bytes:" + text, "--seq-len", "12", "--d-model", "16",
                    "--n-layer", "3", "--steps", "20", "--warmup", "5", "--batch-size", "4", "--eval-interval", "10", "--eval-batches", "1", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("train: " + model + " (d_model 16, 3 layers") && r.out().contains("step 20:"), r.out());
            assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
            Path checkpoint = out.resolve("checkpoint");
            assertTrue(Files.readString(checkpoint.resolve("config.json")).contains("\"" + model + "\""));
            try (var m = TrainingCheckpoint.loadModel(checkpoint, io.recur.backend.Backends.cpu())) {
                assertTrue(m.namedParameters().containsKey("embedder.input_embedding"), m.namedParameters().keySet().toString());
                assertEquals(model.equals("griffin"), m.namedParameters().containsKey("blocks.2.attention_block.proj_q.weight"));
            }
            CliRun eval = CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--data", text.toString(), "--seq-len", "12", "--backend", "cpu");
            assertEquals(0, eval.exitCode(), eval.err());
            assertTrue(eval.out().contains("\"loss\""), eval.out());
            CliRun gen = CliRun.of("generate", "--checkpoint", checkpoint.toString(), "--prompt", "the", "--tokens", "5", "--backend", "cpu");
            assertEquals(0, gen.exitCode(), gen.err());
            assertTrue(gen.out().startsWith("the"), gen.out());
        }
    }

    /** On a feature task (adding: 2 features, one regression output) Hawk is a backbone; its checkpoint rebuilds the same layout. */
    @Test
    void hawkTrainsOnAFeatureTaskAsABackbone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("hawk");
        CliRun r = CliRun.of("train", "--model", "hawk", "--backend", "cpu", "--task", "adding", "--seq-len", "10", "--d-model", "16",
                "--n-layer", "2", "--steps", "20", "--warmup", "5", "--batch-size", "4", "--eval-interval", "10", "--eval-batches", "1",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("train: hawk (d_model 16, 2 layers") && r.out().contains("step 20:"), r.out());
        try (var m = TrainingCheckpoint.loadModel(out.resolve("checkpoint"), io.recur.backend.Backends.cpu())) {
            var params = m.namedParameters();
            assertEquals(io.recur.tensor.Shape.of(16, 2), params.get("backbone.input_proj.weight").shape());
            assertTrue(params.containsKey("backbone.blocks.1.recurrent_block.rg_lru.a_param") && params.containsKey("backbone.final_norm.scale"),
                    params.keySet().toString());
            assertEquals(io.recur.tensor.Shape.of(1, 16), params.get("lm_head.weight").shape());
            assertFalse(params.containsKey("embedder.input_embedding"));
        }
    }

    /**
     * A Mamba trained here is a mamba_ssm checkpoint too: its parameters have the names and shapes
     * of a MambaLM of the same sizes (pad_vocab_size_multiple 1), its config.json carries mamba_ssm's
     * keys, and read the way mamba_ssm folders are read it computes the same logits.
     */
    @Test
    void aTrainedMambaIsAMambaSsmCheckpoint(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(20));
        CliRun r = CliRun.of("train", "--model", "mamba", "--tie-embeddings", "--backend", "cpu", "--task", "bytes:" + text, "--seq-len", "8",
                "--d-model", "8", "--n-layer", "2", "--state-size", "4", "--steps", "2", "--warmup", "1", "--batch-size", "2",
                "--eval-interval", "2", "--eval-batches", "1", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path checkpoint = dir.resolve("checkpoint");
        JsonNode json = JsonFiles.readTree(checkpoint.resolve("config.json"));
        assertEquals("mamba", json.get("model_type").asText());
        assertEquals(4, json.get("ssm_cfg").get("d_state").asInt());
        assertEquals(1, json.get("pad_vocab_size_multiple").asInt());
        assertTrue(json.get("tie_embeddings").asBoolean() && json.get("rms_norm").asBoolean(), json.toString());
        MambaConfig sameSizes = MambaConfig.of(8, 2, 256).withSsm(SsmConfig.defaults().withDState(4)).withPadVocabSizeMultiple(1);
        Map<String, Shape> expected = new TreeMap<>(), saved = new TreeMap<>();
        try (MambaLM reference = new MambaLM(new Initializer(Backends.cpu(), 3), sameSizes)) {
            reference.stateDict().forEach((k, v) -> expected.put(k, v.shape()));
        }
        try (SafeTensors.Contents file = SafeTensors.read(checkpoint.resolve("model.safetensors"), Backends.cpu())) {
            file.tensors().forEach((k, v) -> saved.put(k, v.shape()));
        }
        assertEquals(expected, saved);
        assertEquals(new ModelConfig("mamba", 8, 2, 4, 256, 0, 256, true, 1e-5), TrainingCheckpoint.readModelConfig(checkpoint));
        try (SequenceModel ours = TrainingCheckpoint.loadModel(checkpoint, Backends.cpu()); MambaLM theirs = MambaCheckpoint.load(checkpoint, Backends.cpu());
             Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            Tensor tokens = Backends.cpu().fromArray(new int[] {116, 104, 101, 32, 99, 97, 116, 0, 255, 7}, Shape.of(2, 5));
            assertArrayEquals(ours.forward(tokens).toFloatArray(), theirs.logits(tokens).toFloatArray());
        }
    }

    @Test
    void mistakesGiveOneClearLine(@TempDir Path dir) throws Exception {
        String out = dir.toString();
        assertOneLine(CliRun.of("train", "--bogus"), 2, "Unknown option: '--bogus' (see 'recur train --help')");
        assertOneLine(CliRun.of("train", "--steps", "many"), 2, "Invalid value for option '--steps': 'many' is not an int");
        assertOneLine(CliRun.of(CliRun.train(CliRun.tiny("--model", "transformer", "--out", out))), 1, "unknown model 'transformer': known models are griffin, gru, hawk, lru, lsnn, lstm");
        assertOneLine(CliRun.of(CliRun.train(CliRun.tiny("--task", "sorting", "--out", out))), 1, "unknown task 'sorting': use one of selective-copying");
        assertOneLine(CliRun.of(CliRun.train(CliRun.tiny("--optimizer", "lion", "--out", out))), 1, "unknown optimizer 'lion': use adamw, sgd, shampoo or soap");
        assertOneLine(CliRun.of(CliRun.train(CliRun.tiny("--task", "bytes:" + dir.resolve("missing.txt"), "--out", out))), 1, "text file not found");
        assertOneLine(CliRun.of("train", "--out", dir.resolve("never").toString(), "--resume"), 1, "nothing to resume");
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"lrr\": 0.1}");
        assertOneLine(CliRun.of("train", "--config", config.toString(), "--out", out), 1, "unknown key 'lrr' in config file " + config);
        Path yaml = dir.resolve("bad.yml");
        Files.writeString(yaml, "lr: [0.1\nsteps: 3\n");
        assertOneLine(CliRun.of("train", "--config", yaml.toString(), "--out", out), 1, "YAML file " + yaml + " is not valid YAML");
        Files.writeString(yaml, "- 0.1\n");
        assertOneLine(CliRun.of("train", "--config", yaml.toString(), "--out", out), 1, "config file " + yaml + " must hold an object of settings");
        assertOneLine(CliRun.of(CliRun.train(CliRun.tiny("--lr", "-1", "--out", out))), 1, "recur: lr must be finite and > 0, got -1.0");
        assertOneLine(CliRun.of(CliRun.train(CliRun.tiny("--lr", "fast", "--out", out))), 2, "Invalid value for option '--lr': 'fast' is not a double");
    }

    /** A mistake ends with the exit code and one line of error that contains {@code expected}, no stack trace. */
    static void assertOneLine(CliRun r, int code, String expected) {
        assertEquals(code, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r.err());
        assertEquals(1, r.err().strip().lines().count(), "more than one line:\n" + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
