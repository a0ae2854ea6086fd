package io.recur.learn;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.nn.Initializer;
import io.recur.nn.SequenceModel;
import io.recur.snn.Lsnn;
import io.recur.snn.LsnnConfig;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Map;

/**
 * e-prop as a trainer uses it on an LSNN model: {@link #gradients} installs e-prop's gradients as
 * the parameters' gradients (in place of the tape's backward) and returns the readouts, the
 * optimizer steps as usual, then {@link #afterUpdate} moves adaptive feedback weights.
 *
 * <p>The traces run where the model lives: on the CPU in float64 on the host ({@link EProp}), on a
 * CUDA backend in the fused kernel ({@link EPropDevice}).
 *
 * <p>Random feedback B (neurons, outputs) is N(0, 1/neurons), the scale of W_outᵀ, drawn from the
 * run's seed, so a resumed run has the same. Adaptive feedback starts there and after every update
 * becomes W_outᵀ + (1 − {@link #ADAPTIVE_DECAY})(B − W_outᵀ before the update): it follows each
 * change of W_out, and its difference from W_outᵀ decays (Kolen–Pollack). Adaptive weights are
 * saved with checkpoints ({@link #savedFeedback}, {@link #restoreFeedback}), so a resumed run continues
 * exactly.
 */
public final class EPropLearner {
    /** Per-update decay of the difference between adaptive feedback and W_outᵀ. */
    public static final double ADAPTIVE_DECAY = 0.01;
    private static final long FEEDBACK_STREAM = 0x4550524F50L; // keeps the draw apart from the weights' stream

    private final Feedback feedback;
    private final LsnnConfig config;
    private final RateRegularizer regularizer;
    private double[] weights; // B for random and adaptive feedback
    private double[] readoutBefore;

    public EPropLearner(Feedback feedback, LsnnConfig config, RateRegularizer regularizer, long seed) {
        this.feedback = feedback;
        this.config = config;
        this.regularizer = regularizer;
        if (feedback != Feedback.SYMMETRIC) {
            Initializer init = new Initializer(Backends.cpu(), seed ^ FEEDBACK_STREAM);
            try (Tensor b = init.normal(Shape.of(config.neurons(), config.outputs()), 0, 1 / Math.sqrt(config.neurons()))) {
                weights = LsnnWeights.widen(b.toFloatArray());
            }
        }
    }

    /** For a model from the registry; fails clearly unless it is an LSNN. */
    public static EPropLearner forModel(LearningRule rule, SequenceModel model, RateRegularizer regularizer, long seed) {
        if (!rule.eprop()) throw new IllegalArgumentException("learning rule " + rule.name() + " is not e-prop");
        if (!model.config().modelType().equalsIgnoreCase(Lsnn.MODEL_TYPE))
            throw new IllegalArgumentException("learning " + rule.name() + " trains spiking networks only: use --model " + Lsnn.MODEL_TYPE + " (got " + model.config().modelType() + ")");
        return new EPropLearner(rule.feedback(), Lsnn.configFor(model.config()), regularizer, seed);
    }

    public Feedback feedback() { return feedback; }

    /** The feedback weights the next batch uses, (neurons, outputs). */
    public double[] feedbackWeights(LsnnWeights w) { return feedback == Feedback.SYMMETRIC ? EProp.symmetricFeedback(config, w) : weights.clone(); }

    /** Adaptive feedback weights (neurons, outputs) to keep in a checkpoint; null for the other kinds, which are rebuilt from the seed. */
    public double[] savedFeedback() { return feedback == Feedback.ADAPTIVE ? weights.clone() : null; }

    /** Continues with adaptive feedback weights saved by {@link #savedFeedback}. */
    public void restoreFeedback(double[] saved) {
        if (feedback != Feedback.ADAPTIVE)
            throw new IllegalArgumentException("the checkpoint has adaptive feedback weights, but this run learns with " + feedback.cliName() + " feedback");
        if (saved.length != weights.length)
            throw new IllegalArgumentException("saved feedback weights: " + saved.length + " values, but (neurons " + config.neurons() + ", outputs "
                    + config.outputs() + ") needs " + weights.length + "; the checkpoint belongs to another model");
        weights = saved.clone();
    }

    /** Sets the model's parameter gradients to e-prop's for this batch; returns the readouts (batch, time, outputs). */
    public float[] gradients(SequenceModel model, Batch batch) {
        Map<String, Tensor> params = model.namedParameters();
        LsnnWeights w = LsnnWeights.of(params, config);
        if (!(batch.inputs() instanceof Inputs.Features features))
            throw new IllegalArgumentException("e-prop: an LSNN reads feature inputs, " + batch.spec().name() + " has token ids");
        float[] inputs = features.values();
        Backend backend = LsnnWeights.find(params, Lsnn.W_IN).backend();
        int size = batch.size(), steps = batch.spec().sequenceLength();
        // On the CPU the float64 host engine; on a CUDA backend the fused kernel (float32).
        EProp.Result r = backend.name().startsWith("cuda")
                ? EPropDevice.run(backend, config, w, inputs, size, steps, feedbackWeights(w), OutputErrors.of(batch), regularizer)
                : EProp.run(config, w, inputs, size, steps, feedbackWeights(w), OutputErrors.of(batch), regularizer);
        r.gradients().installAsGradients(params);
        readoutBefore = w.out();
        return r.outputs();
    }

    /** After the optimizer's update: adaptive feedback follows the change of W_out. */
    public void afterUpdate(SequenceModel model) {
        if (feedback != Feedback.ADAPTIVE || readoutBefore == null) return;
        double[] after = LsnnWeights.widen(LsnnWeights.find(model.namedParameters(), Lsnn.W_OUT).toFloatArray());
        int n = config.neurons(), K = config.outputs();
        for (int j = 0; j < n; j++)
            for (int k = 0; k < K; k++) {
                int at = j * K + k, out = k * n + j;
                weights[at] = after[out] + (1 - ADAPTIVE_DECAY) * (weights[at] - readoutBefore[out]);
            }
        readoutBefore = null;
    }
}
