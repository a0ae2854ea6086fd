package io.recur.learn;

import io.recur.data.Batch;
import io.recur.nn.SequenceModel;
import io.recur.snn.Lsnn;
import java.util.Locale;

/**
 * A learning rule that computes a batch's gradients forward in time instead of through the tape:
 * {@link #gradients} installs them as the parameters' gradients and returns the readouts, the
 * optimizer steps as usual, then {@link #afterUpdate} lets adaptive feedback follow the readout.
 */
public interface OnlineLearner {
    /** Sets the model's parameter gradients for this batch; returns the readouts (batch, time, outputs). */
    float[] gradients(SequenceModel model, Batch batch);

    /** After the optimizer's update. */
    void afterUpdate(SequenceModel model);

    /** Adaptive feedback weights to keep in a checkpoint; null when there are none. */
    double[] savedFeedback();

    /** Continues with feedback weights saved by {@link #savedFeedback}. */
    void restoreFeedback(double[] saved);

    /** The e-prop engine for a model from the registry: LSNNs and one-layer LSTMs have one; other models fail clearly. */
    static OnlineLearner forModel(LearningRule rule, SequenceModel model, RateRegularizer regularizer, long seed) {
        if (!rule.eprop()) throw new IllegalArgumentException("learning rule " + rule.name() + " is not e-prop");
        String type = model.config().modelType().toLowerCase(Locale.ROOT);
        if (type.equals(LstmEPropLearner.MODEL_TYPE)) {
            if (regularizer.coefficient() != 0)
                throw new IllegalArgumentException("rate regularisation applies to spiking networks; an LSTM has no firing rates: drop it for --model lstm");
            return LstmEPropLearner.forModel(rule, model, seed);
        }
        if (type.equals(Lsnn.MODEL_TYPE)) return EPropLearner.forModel(rule, model, regularizer, seed);
        throw new IllegalArgumentException("learning " + rule.name() + " has e-prop engines for --model " + Lsnn.MODEL_TYPE + " and --model "
                + LstmEPropLearner.MODEL_TYPE + " with --n-layer 1; " + model.config().modelType() + " has none: use --learning bptt");
    }
}
