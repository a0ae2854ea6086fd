package io.recur.train.checkpoint;

import io.recur.backend.Backend;
import io.recur.io.JsonFiles;
import io.recur.io.SafeTensors;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.nn.Models;
import io.recur.nn.SequenceModel;
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
import java.util.stream.Stream;

/**
 * A training checkpoint folder: the model as {@link ModelCheckpoint} writes it (model.safetensors,
 * config.json), optimizer.safetensors, trainer.json ({@link TrainerState}) and run.json (the
 * {@link RunConfig}). The folder is replaced as a whole: written beside the old one, then swapped
 * in by renames, so a crash leaves the previous checkpoint or the new one, never a mixture.
 */
public final class TrainingCheckpoint {
    public static final String OPTIMIZER = "optimizer.safetensors", TRAINER = "trainer.json", RUN = "run.json";

    private TrainingCheckpoint() {}

    public static void save(Path dir, SequenceModel model, Optimizer optimizer, TrainerState state, RunConfig run) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Path fresh = parent.resolve(dir.getFileName() + ".new"), old = parent.resolve(dir.getFileName() + ".old");
        deleteTree(fresh);
        ModelCheckpoint.save(fresh, model, model.config());
        SafeTensors.write(fresh.resolve(OPTIMIZER), optimizer.state());
        JsonFiles.write(fresh.resolve(TRAINER), state);
        JsonFiles.write(fresh.resolve(RUN), run);
        deleteTree(old);
        if (Files.exists(dir)) Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    public static TrainerState readState(Path dir) throws IOException { return JsonFiles.read(existing(dir, TRAINER), TrainerState.class); }

    /** The saved run; keys added to RunConfig since it was written take their defaults. */
    public static RunConfig readRun(Path dir) throws IOException { return RunConfigs.merge(RunConfig.defaults(), existing(dir, RUN), java.util.Map.of()); }

    public static ModelConfig readModelConfig(Path dir) throws IOException { return ModelCheckpoint.readConfig(dir, ModelConfig.class); }

    /**
     * The model a checkpoint folder holds (any folder with config.json and model.safetensors):
     * built from config.json's model_type through the registry, then loaded by name and shape.
     */
    public static SequenceModel loadModel(Path dir, Backend backend) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such checkpoint folder");
        ModelConfig config = readModelConfig(dir);
        SequenceModel model = Models.create(config, new Initializer(backend, 0));
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
