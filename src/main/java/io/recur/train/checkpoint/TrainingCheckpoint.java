package io.recur.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.backend.Backend;
import io.recur.io.JsonFiles;
import io.recur.io.SafeTensors;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.models.Models;
import io.recur.nn.SequenceModel;
import io.recur.nn.mamba.MambaLM;
import io.recur.optim.Optimizer;
import io.recur.train.RunConfig;
import io.recur.train.RunConfigs;
import io.recur.train.TrainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training checkpoint folder: the model as {@link ModelCheckpoint} writes it (model.safetensors,
 * config.json), optimizer.safetensors, trainer.json ({@link TrainerState}) and run.json (the
 * {@link RunConfig}), and for e-prop with adaptive feedback feedback.json (the feedback weights B,
 * (neurons, outputs) row-major, as float64 numbers that read back exactly). The folder is replaced as a whole: written beside the old one, then swapped
 * in by renames, so a crash leaves the previous checkpoint or the new one, never a mixture.
 */
public final class TrainingCheckpoint {
    public static final String OPTIMIZER = "optimizer.safetensors", TRAINER = "trainer.json", RUN = "run.json", FEEDBACK = "feedback.json";

    private TrainingCheckpoint() {}

    /** Saves a run; {@code feedback} is e-prop's adaptive feedback weights, or null when the run has none to keep. */
    public static void save(Path dir, SequenceModel model, Optimizer optimizer, TrainerState state, RunConfig run, double[] feedback) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Path fresh = parent.resolve(dir.getFileName() + ".new"), old = parent.resolve(dir.getFileName() + ".old");
        deleteTree(fresh);
        ModelCheckpoint.save(fresh, model, CheckpointConfig.toJson(model.config()));
        SafeTensors.write(fresh.resolve(OPTIMIZER), optimizer.state());
        JsonFiles.write(fresh.resolve(TRAINER), state);
        JsonFiles.write(fresh.resolve(RUN), run);
        if (feedback != null) JsonFiles.write(fresh.resolve(FEEDBACK), feedback);
        deleteTree(old);
        if (Files.exists(dir)) Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    public static TrainerState readState(Path dir) throws IOException { return JsonFiles.read(existing(dir, TRAINER), TrainerState.class); }

    /** The saved adaptive feedback weights; empty for a checkpoint without them (other rules, or saved before they were kept). */
    public static Optional<double[]> readFeedback(Path dir) throws IOException {
        Path file = dir.resolve(FEEDBACK);
        return Files.isRegularFile(file) ? Optional.of(JsonFiles.read(file, double[].class)) : Optional.empty();
    }

    /** The saved run; keys added to RunConfig since it was written take their defaults. */
    public static RunConfig readRun(Path dir) throws IOException { return RunConfigs.merge(RunConfig.defaults(), existing(dir, RUN), java.util.Map.of()); }

    /** The config.json of a checkpoint in this project's layout (see {@link CheckpointConfig#read}). */
    public static ModelConfig readModelConfig(Path dir) throws IOException {
        Path file = ModelCheckpoint.configFile(dir);
        return CheckpointConfig.read(JsonFiles.readTree(file), file);
    }

    /**
     * The model a checkpoint folder holds (any folder with config.json and model.safetensors). A
     * config.json written here builds the model from its model_type through the registry, then
     * loads the weights by name and shape; one written by mamba_ssm or HF transformers (see
     * {@link CheckpointConfig#layout}) is read by {@link MambaCheckpoint} and wrapped whole.
     */
    public static SequenceModel loadModel(Path dir, Backend backend) throws IOException {
        Path file = ModelCheckpoint.configFile(dir);
        JsonNode json = JsonFiles.readTree(file);
        if (CheckpointConfig.layout(json, file) != CheckpointConfig.Layout.RECUR) {
            MambaLM mamba = MambaCheckpoint.load(dir, backend);
            return SequenceModel.ofWhole(CheckpointConfig.of(mamba.config()), mamba);
        }
        SequenceModel model = Models.create(CheckpointConfig.read(json, file), new Initializer(backend, 0));
        try {
            ModelCheckpoint.load(dir, model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Copies the saved optimizer state into an optimizer built for the same parameters. */
    public static void loadOptimizer(Path dir, Optimizer optimizer, Backend backend) throws IOException {
        Path file = existing(dir, OPTIMIZER);
        try (SafeTensors.Contents saved = SafeTensors.read(file, backend)) {
            try {
                optimizer.loadState(saved.tensors());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " does not fit this optimizer: " + e.getMessage(), e);
            }
        }
    }

    private static Path existing(Path dir, String file) throws IOException {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, "checkpoint folder " + dir + " has no " + file);
        return p;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
