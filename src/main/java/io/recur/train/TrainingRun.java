package io.recur.train;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.data.Task;
import io.recur.data.TaskSpec;
import io.recur.nn.Initializer;
import io.recur.parallel.ParallelEvaluation;
import io.recur.nn.ModelConfig;
import io.recur.models.Models;
import io.recur.nn.SequenceModel;
import io.recur.optim.AdamW;
import io.recur.optim.LrSchedule;
import io.recur.optim.Optimizer;
import io.recur.optim.ParameterGroup;
import io.recur.optim.Sgd;
import io.recur.optim.Shampoo;
import io.recur.optim.Soap;
import io.recur.train.checkpoint.ModelCheckpoint;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Builds a run from its {@link RunConfig}: the backend, the task, the model sized for the task's
 * inputs and outputs, the optimizer with its parameter groups, and the schedule; then trains it from
 * scratch or continues it from its checkpoint.
 */
public final class TrainingRun {
    public static final List<String> OPTIMIZERS = List.of("adamw", "sgd", "shampoo", "soap");

    private TrainingRun() {}

    /** What a finished run hands back: its result, and where it wrote. */
    public record Outcome(Trainer.Result result, Path folder, ModelConfig model, TaskSpec task, long parameters) {}

    /** Trains from scratch into folder (its metrics.jsonl and checkpoint are replaced). */
    public static Outcome start(RunConfig run, Path folder, Trainer.Listener listener, java.util.function.Consumer<String> announce) throws IOException {
        return execute(run, folder, listener, announce, false);
    }

    /** Continues the run whose checkpoint is in folder, with the given config (normally the saved one, perhaps more steps). */
    public static Outcome resume(RunConfig run, Path folder, Trainer.Listener listener, java.util.function.Consumer<String> announce) throws IOException {
        return execute(run, folder, listener, announce, true);
    }

    /** The run config saved in a run folder's checkpoint. */
    public static RunConfig savedConfig(Path folder) throws IOException {
        Path dir = folder.resolve(Trainer.CHECKPOINT);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("nothing to resume: " + dir + " does not exist (train into " + folder + " first)");
        return TrainingCheckpoint.readRun(dir);
    }

    private static Outcome execute(RunConfig run, Path folder, Trainer.Listener listener, java.util.function.Consumer<String> announce, boolean resume) throws IOException {
        Backend backend = Backends.byName(run.backend());
        Task task = Tasks.create(run);
        ModelConfig config = modelConfig(run, task.spec());
        try (SequenceModel model = Models.create(config, new Initializer(backend, run.seed()));
             ParallelEvaluation parallel = Evaluations.apply(model, run);
             Optimizer optimizer = optimizer(run, model)) {
            announce.accept(String.format(Locale.ROOT, "%s (d_model %d, %d layers, %,d parameters) on %s (length %d) with %s, %s",
                    config.modelType(), config.dModel(), config.nLayer(), model.parameterCount(), task.spec().name(), task.spec().sequenceLength(),
                    run.optimizer(), backend.description())
                    + (parallel == null ? "" : ", layers evaluated by " + parallel.options().method().key()));
            LrSchedule schedule = new LrSchedule.WarmupCosine(run.lr(), Math.min(run.warmup(), run.steps()), run.steps(), run.lr() * run.minLrRatio());
            Trainer trainer = new Trainer(run, model, task, optimizer, schedule, folder, listener);
            if (parallel != null) {
                parallel.onNotConverged(line -> announce.accept("warning: " + line));
                trainer.withMetrics(() -> Evaluations.metrics(parallel.takeWindow()));
            }
            Trainer.Result result;
            if (resume) {
                Path dir = folder.resolve(Trainer.CHECKPOINT);
                ModelCheckpoint.load(dir, model);
                TrainingCheckpoint.loadOptimizer(dir, optimizer, backend);
                TrainerState state = TrainingCheckpoint.readState(dir);
                if (state.step() >= run.steps())
                    throw new IllegalArgumentException("the run in " + folder + " already did " + state.step() + " of " + run.steps() + " steps; pass a larger --steps to continue it");
                announce.accept("resuming at step " + state.step() + " of " + run.steps());
                result = trainer.resume(state);
            } else {
                result = trainer.run();
            }
            if (parallel != null) announce.accept(parallel.options().method().key() + ": " + parallel.statistics().summary());
            return new Outcome(result, folder, config, task.spec(), model.parameterCount());
        }
    }

    /** The model's config for a task: an embedding for tokens or a projection for features, a head as wide as the task's outputs. */
    public static ModelConfig modelConfig(RunConfig run, TaskSpec spec) {
        return new ModelConfig(run.model(), run.dModel(), run.nLayer(), run.stateSize(), spec.vocabSize(), spec.inputFeatures(),
                spec.outputWidth(), run.tieEmbeddings(), 1e-5);
    }

    private static int orDefault(int value, int fallback) { return value > 0 ? value : fallback; }

    static Optimizer optimizer(RunConfig run, SequenceModel model) {
        List<ParameterGroup> groups = ParameterGroup.decayMatricesOnly(model.namedParameters(), run.weightDecay());
        return switch (run.optimizer().toLowerCase(Locale.ROOT)) {
            case "adamw" -> new AdamW(groups, AdamW.Settings.defaults());
            case "sgd" -> new Sgd(groups, new Sgd.Settings(run.momentum(), run.nesterov()));
            case "shampoo" -> {
                Shampoo.Settings s = Shampoo.Settings.defaults().withMomentum(run.momentum(), run.nesterov());
                yield new Shampoo(groups, s.withSchedule(s.schedule().startPreconditioningStep(), orDefault(run.preconditionFrequency(), s.schedule().preconditionFrequency()))
                        .withBlocks(orDefault(run.maxBlockSize(), s.blocks().maxSize()), false));
            }
            case "soap" -> {
                Soap.Settings s = Soap.Settings.defaults();
                yield new Soap(groups, s.withFrequency(orDefault(run.preconditionFrequency(), s.preconditionFrequency()))
                        .withBlockSize(orDefault(run.maxBlockSize(), s.blockSize())));
            }
            default -> throw new IllegalArgumentException("unknown optimizer '" + run.optimizer() + "': use "
                    + String.join(", ", OPTIMIZERS.subList(0, OPTIMIZERS.size() - 1)) + " or " + OPTIMIZERS.getLast());
        };
    }
}
