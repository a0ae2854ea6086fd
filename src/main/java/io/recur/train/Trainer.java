package io.recur.train;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.data.Batch;
import io.recur.data.Metric;
import io.recur.data.Split;
import io.recur.data.Task;
import io.recur.learn.OnlineLearner;
import io.recur.learn.LearningRule;
import io.recur.nn.SequenceModel;
import io.recur.optim.GradientClipping;
import io.recur.optim.LrSchedule;
import io.recur.optim.Optimizer;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The training loop: step k (from 1) trains on batch k − 1 of the task's training split at the
 * schedule's rate for step k − 1, with clipped gradients; every eval_interval steps and at the end
 * it scores eval_batches validation batches, writes the checkpoint and redraws the plot; it stops
 * early when the validation metric reaches the target, or after the first step that ends past
 * max_seconds of training (counted over resumptions). Everything a step depends on (parameters,
 * optimizer state, batch number, seed) is in the checkpoint, so a resumed run repeats an
 * uninterrupted one exactly on the CPU. A NaN or infinite loss or gradient norm stops the run
 * before any update or checkpoint, so the last checkpoint stays good. With an e-prop learning rule
 * (spiking networks and one-layer LSTMs) the gradients come from an {@link OnlineLearner} instead of the tape.
 */
public final class Trainer {
    public static final String CHECKPOINT = "checkpoint", PLOT = "curves.png";

    /** What the trainer reports as it goes (e.g. to a progress bar). */
    public interface Listener {
        void onStep(long step, long totalSteps, double loss, double learningRate, double tokensPerSecond);

        default void onEvaluation(long step, Evaluation.Result result) {}
    }

    /** How a run ended. */
    public record Result(long steps, double loss, Evaluation.Result validation, boolean reachedTarget) {}

    /** Thrown when the loss or the gradient stops being finite; the message names the step. */
    public static final class DivergedException extends IllegalStateException {
        DivergedException(String message) { super(message); }
    }

    private final RunConfig run;
    private final SequenceModel model;
    private final Task task;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final Path out;
    private final Listener listener;
    private final Backend backend;
    private final OnlineLearner learner; // null: gradients from the tape (BPTT)
    private final List<double[]> lossCurve = new ArrayList<>(), metricCurve = new ArrayList<>();
    private long lastCheckpoint = -1;
    private java.util.function.Supplier<Map<String, Object>> extraMetrics = Map::of;

    public Trainer(RunConfig run, SequenceModel model, Task task, Optimizer optimizer, LrSchedule schedule, Path out, Listener listener) {
        this.run = run;
        this.model = model;
        this.task = task;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.out = out;
        this.listener = listener;
        this.backend = model.parameters().getFirst().backend();
        LearningRule rule = run.learningRule();
        this.learner = rule.eprop() ? OnlineLearner.forModel(rule, model, run.rateRegularizer(), run.seed()) : null;
    }

    /** Fields added to every line of metrics.jsonl, asked for when the line is written (e.g. solver statistics since the last line). */
    public Trainer withMetrics(java.util.function.Supplier<Map<String, Object>> source) {
        this.extraMetrics = source;
        return this;
    }

    /** Trains from scratch (a fresh metrics log). */
    public Result run() throws IOException {
        return run(new TrainerState(0, 0, run.seed(), Double.NaN, null, 0), false);
    }

    /** Continues from a state loaded with the model and optimizer from the checkpoint. */
    public Result resume(TrainerState state) throws IOException {
        lastCheckpoint = state.step();
        // adaptive feedback continues where it was (a checkpoint from before it was saved keeps the fresh draw)
        if (learner != null) TrainingCheckpoint.readFeedback(out.resolve(CHECKPOINT)).ifPresent(learner::restoreFeedback);
        return run(state, true);
    }

    private Result run(TrainerState start, boolean resumed) throws IOException {
        Files.createDirectories(out);
        if (resumed) replayCurves(start.step());
        try (MetricsLog log = resumed ? MetricsLog.resume(out, start.step()) : MetricsLog.create(out)) {
            long step = start.step(), batch = start.nextBatch();
            double loss = start.loss();
            long runStart = System.nanoTime();
            Evaluation.Result validation = null;
            long windowStart = System.nanoTime(), windowTokens = 0;
            long tokensPerBatch = (long) run.batchSize() * task.spec().sequenceLength();
            while (step < run.steps()) {
                double lr = schedule.at(step);
                Map<String, Object> record = new LinkedHashMap<>();
                loss = trainStep(step + 1, batch, lr, record);
                step++;
                batch++;
                windowTokens += tokensPerBatch;
                double elapsed = start.elapsedSeconds() + (System.nanoTime() - runStart) / 1e9;
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                double tokensPerSecond = windowTokens / Math.max(seconds, 1e-9);
                listener.onStep(step, run.steps(), loss, lr, tokensPerSecond);
                boolean outOfTime = run.maxSeconds() != null && elapsed >= run.maxSeconds();
                boolean evaluate = step % run.evalInterval() == 0 || step == run.steps() || outOfTime;
                boolean logged = evaluate || step % run.logInterval() == 0;
                boolean reached = false;
                if (evaluate) {
                    validation = validate();
                    listener.onEvaluation(step, validation);
                    record.put("val_loss", validation.loss());
                    record.put("val_" + key(validation.metric()), validation.value());
                    metricCurve.add(new double[] {step, validation.value()});
                    reached = reachedTarget(validation);
                }
                if (logged) {
                    record.put("tokens_per_second", tokensPerSecond);
                    record.put("elapsed_seconds", elapsed);
                    record.putAll(extraMetrics.get());
                    log.append(record);
                    lossCurve.add(new double[] {step, loss});
                    windowStart = System.nanoTime();
                    windowTokens = 0;
                }
                if (evaluate) {
                    checkpoint(new TrainerState(step, batch, run.seed(), loss, validation.value(), elapsed));
                    plot();
                }
                if (reached || outOfTime) return new Result(step, loss, validation, reached);
            }
            return new Result(step, loss, validation, false);
        }
    }

    /** One update; fills the record's step, loss, training metric, learning rate and gradient norm. */
    private double trainStep(long step, long batchIndex, double lr, Map<String, Object> record) {
        Batch batch = task.batch(Split.TRAIN, batchIndex, run.batchSize());
        double loss, gradNorm;
        Metric.Tally tally;
        model.zeroGrad();
        try (Scope s = Scope.open("train step " + step)) {
            if (learner != null) {
                // e-prop: gradients from eligibility traces, forward in time; the tape records nothing.
                float[] outputs = learner.gradients(model, batch);
                try (Tape.NoGrad ng = Tape.noGrad()) {
                    Tensor out = backend.fromArray(outputs, Shape.of(batch.size(), batch.spec().sequenceLength(), batch.spec().outputWidth()));
                    loss = TaskLoss.mean(out, batch).item();
                }
                if (!Double.isFinite(loss)) { model.zeroGrad(); throw diverged("loss", loss, step, lr); }
                tally = batch.spec().metric().score(batch, outputs);
            } else {
                Tensor outputs = model.forward(batch.inputs(backend));
                Tensor mean = TaskLoss.mean(outputs, batch);
                loss = mean.item();
                if (!Double.isFinite(loss)) { Tape.clear(); throw diverged("loss", loss, step, lr); }
                Tape.backward(mean);
                tally = batch.spec().metric().score(batch, outputs.toFloatArray());
            }
        }
        gradNorm = GradientClipping.clipGlobalNorm(model.parameters(), run.clip() > 0 ? run.clip() : Double.POSITIVE_INFINITY);
        if (!Double.isFinite(gradNorm)) { model.zeroGrad(); throw diverged("gradient norm", gradNorm, step, lr); }
        optimizer.step(lr);
        if (learner != null) learner.afterUpdate(model);
        model.zeroGrad();
        record.put("step", step);
        record.put("loss", loss);
        record.put(key(batch.spec().metric()), tally.value());
        record.put("lr", lr);
        record.put("grad_norm", gradNorm);
        return loss;
    }

    private DivergedException diverged(String what, double value, long step, double lr) {
        String kept = lastCheckpoint >= 0
                ? "the last good checkpoint, from step " + lastCheckpoint + ", is kept in " + out.resolve(CHECKPOINT)
                : "no checkpoint was written before it";
        return new DivergedException(String.format(Locale.ROOT, "%s became %s at step %d (learning rate %.3g); stopped; %s. Try a lower --lr or --clip.",
                what, value, step, lr, kept));
    }

    /** The first eval_batches batches of the validation split: the same ones at every evaluation. */
    private Evaluation.Result validate() {
        List<Batch> batches = LongStream.range(0, run.evalBatches()).mapToObj(i -> task.batch(Split.VALIDATION, i, run.batchSize())).toList();
        return Evaluation.run(model, batches);
    }

    private boolean reachedTarget(Evaluation.Result r) {
        if (run.target() == null || Double.isNaN(r.value())) return false;
        return r.metric() == Metric.MSE ? r.value() <= run.target() : r.value() >= run.target();
    }

    private void checkpoint(TrainerState state) throws IOException {
        TrainingCheckpoint.save(out.resolve(CHECKPOINT), model, optimizer, state, run, learner == null ? null : learner.savedFeedback());
        lastCheckpoint = state.step();
    }

    /** Curves already logged by the run being resumed, so the plot shows the whole run. */
    private void replayCurves(long upTo) throws IOException {
        String metric = "val_" + key(task.spec().metric());
        for (var line : MetricsLog.read(out)) {
            long step = line.path("step").asLong();
            if (step > upTo) continue;
            if (line.has("loss")) lossCurve.add(new double[] {step, line.get("loss").asDouble()});
            if (line.has(metric)) metricCurve.add(new double[] {step, line.get(metric).asDouble()});
        }
    }

    private void plot() throws IOException {
        String metric = "validation " + key(task.spec().metric()).replace('_', ' ');
        Plots.twoAxes(out.resolve(PLOT), model.config().modelType() + " on " + task.spec().name(), "step",
                "training loss", column(lossCurve, 0), column(lossCurve, 1), metric, column(metricCurve, 0), column(metricCurve, 1));
    }

    private static double[] column(List<double[]> rows, int i) { return rows.stream().mapToDouble(r -> r[i]).toArray(); }

    /** The metric's key in metrics.jsonl: token_accuracy, sequence_accuracy or mse. */
    static String key(Metric m) { return m.name().toLowerCase(Locale.ROOT); }
}
