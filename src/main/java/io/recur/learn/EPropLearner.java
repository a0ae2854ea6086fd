package io.recur.learn;

import io.recur.backend.Backend;
import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.nn.SequenceModel;
import io.recur.snn.Lsnn;
import io.recur.snn.LsnnConfig;
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
 * <p>Feedback B (neurons, outputs) is kept by {@link FeedbackWeights}; adaptive weights are saved with
 * checkpoints ({@link #savedFeedback}, {@link #restoreFeedback}), so a resumed run continues exactly.
 */
public final class EPropLearner implements OnlineLearner {
    /** Per-update decay of the difference between adaptive feedback and W_outᵀ. */
    public static final double ADAPTIVE_DECAY = FeedbackWeights.ADAPTIVE_DECAY;

    private final FeedbackWeights feedback;
    private final LsnnConfig config;
    private final RateRegularizer regularizer;
    private double[] readoutBefore;

    public EPropLearner(Feedback feedback, LsnnConfig config, RateRegularizer regularizer, long seed) {
        this.feedback = new FeedbackWeights(feedback, config.neurons(), config.outputs(), seed);
        this.config = config;
        this.regularizer = regularizer;
    }

    /** For a model from the registry; fails clearly unless it is an LSNN. */
    public static EPropLearner forModel(LearningRule rule, SequenceModel model, RateRegularizer regularizer, long seed) {
        if (!rule.eprop()) throw new IllegalArgumentException("learning rule " + rule.name() + " is not e-prop");
        if (!model.config().modelType().equalsIgnoreCase(Lsnn.MODEL_TYPE))
            throw new IllegalArgumentException("learning " + rule.name() + " trains spiking networks only: use --model " + Lsnn.MODEL_TYPE + " (got " + model.config().modelType() + ")");
        return new EPropLearner(rule.feedback(), Lsnn.configFor(model.config()), regularizer, seed);
    }

    public Feedback feedback() { return feedback.kind(); }

    /** The feedback weights the next batch uses, (neurons, outputs). */
    public double[] feedbackWeights(LsnnWeights w) { return feedback.current(w.out()); }

    @Override public double[] savedFeedback() { return feedback.saved(); }

    @Override public void restoreFeedback(double[] saved) { feedback.restore(saved); }

    @Override
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

    @Override
    public void afterUpdate(SequenceModel model) {
        if (readoutBefore == null) return;
        feedback.afterUpdate(readoutBefore, LsnnWeights.widen(LsnnWeights.find(model.namedParameters(), Lsnn.W_OUT).toFloatArray()));
        readoutBefore = null;
    }
}
