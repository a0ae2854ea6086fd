package io.recur.learn;

import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.nn.SequenceModel;
import io.recur.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * e-prop as a trainer uses it on the registry's one-layer LSTM model (--model lstm --n-layer 1) on a
 * feature task. That model is u_t = input_proj(x_t), v_t = RMSNorm(u_t), h_t = LSTM(v_t),
 * y_t = lm_head(RMSNorm_f(u_t + h_t)). The LSTM learns by {@link LstmEProp} from the learning signal
 * L_t = J_tᵀ · B · error_t, with J_t the Jacobian of the final norm at u_t + h_t and B = lm_headᵀ
 * (symmetric) or a random or adaptive stand-in ({@link FeedbackWeights}); with symmetric feedback L_t
 * is dLoss/dh_t exactly, as nothing but the readout reads h_t once h_{t−1} carries no gradient. The
 * final norm and the head take their exact per-step gradients; the input projection and the norm in
 * front of the LSTM learn from the same signals through their own eligibility traces
 * ({@link InputProjectionTraces}) and, exactly, along the residual path. With symmetric feedback and
 * no recurrent weights every gradient is BPTT's.
 *
 * <p>Float64 on the host, from zero initial state, like the spiking engine.
 */
final class LstmEPropLearner implements OnlineLearner {
    static final String MODEL_TYPE = "lstm";
    private static final String PROJ = "backbone.input_proj.", NORM = "backbone.layers.0.norm.weight", CELL = "backbone.layers.0.mixer.",
            NORM_F = "backbone.norm_f.weight", HEAD = "lm_head.weight";

    private final FeedbackWeights feedback;
    private final int inputs, width, outputs;
    private final double eps;
    private double[] readoutBefore;

    private LstmEPropLearner(Feedback feedback, int inputs, int width, int outputs, double eps, long seed) {
        this.feedback = new FeedbackWeights(feedback, width, outputs, seed);
        this.inputs = inputs;
        this.width = width;
        this.outputs = outputs;
        this.eps = eps;
    }

    static LstmEPropLearner forModel(LearningRule rule, SequenceModel model, long seed) {
        var c = model.config();
        if (c.nLayer() != 1)
            throw new IllegalArgumentException("learning " + rule.name() + " trains a single LSTM layer (e-prop has no learning signal between layers): use --n-layer 1 (got " + c.nLayer() + ")");
        if (c.tokenInputs())
            throw new IllegalArgumentException("learning " + rule.name() + " on an LSTM needs a feature task (such as adding or evidence), not token ids");
        if (!model.namedParameters().containsKey(HEAD))
            throw new IllegalArgumentException("learning " + rule.name() + " on an LSTM needs its own readout " + HEAD + ": drop --tie-embeddings");
        return new LstmEPropLearner(rule.feedback(), c.inputFeatures(), c.dModel(), c.outputSize(), (float) c.normEpsilon(), seed);
    }

    @Override public double[] savedFeedback() { return feedback.saved(); }

    @Override public void restoreFeedback(double[] saved) { feedback.restore(saved); }

    @Override
    public float[] gradients(SequenceModel model, Batch batch) {
        Map<String, Tensor> p = model.namedParameters();
        if (!(batch.inputs() instanceof Inputs.Features features))
            throw new IllegalArgumentException("e-prop: an LSTM learns from feature inputs, " + batch.spec().name() + " has token ids");
        int size = batch.size(), steps = batch.spec().sequenceLength(), d = width, K = outputs;
        double[] proj = values(p, PROJ + "weight"), projBias = values(p, PROJ + "bias"), norm = values(p, NORM);
        double[] normF = values(p, NORM_F), head = values(p, HEAD);
        LstmWeights cell = new LstmWeights(d, d, 0, values(p, CELL + "weight_ih_l0"), values(p, CELL + "weight_hh_l0"),
                values(p, CELL + "bias_ih_l0"), values(p, CELL + "bias_hh_l0"), new double[0], new double[0]);
        // u (the residual stream) and v (the LSTM's input) for every step: both are per-step functions of x.
        float[] x = features.values();
        double[] u = new double[size * steps * d], v = new double[u.length];
        for (int at = 0; at < size * steps; at++) {
            for (int j = 0; j < d; j++) {
                double s = projBias[j];
                for (int q = 0; q < inputs; q++) s += proj[j * inputs + q] * x[at * inputs + q];
                u[at * d + j] = s;
            }
            double r = rms(u, at * d, d);
            for (int j = 0; j < d; j++) v[at * d + j] = norm[j] * u[at * d + j] / r;
        }
        double[] b = feedback.current(head), gHead = new double[K * d], gNormF = new double[d];
        float[] out = new float[size * steps * K];
        OutputErrors errors = OutputErrors.of(batch);
        double[] z = new double[d], n = new double[d], y = new double[K], back = new double[d];
        LstmEProp.StepReadout readout = (seq, t, h, signal) -> {
            int at = seq * steps + t;
            for (int j = 0; j < d; j++) z[j] = u[at * d + j] + h[j];
            double r = rms(z, 0, d);
            for (int j = 0; j < d; j++) n[j] = normF[j] * z[j] / r;
            for (int k = 0; k < K; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += head[k * d + j] * n[j];
                out[at * K + k] = (float) (y[k] = s);
            }
            double[] error = errors.at(seq, t, y);
            Arrays.fill(back, 0);
            double dot = 0;
            for (int j = 0; j < d; j++) {
                double exact = 0, fed = 0;
                for (int k = 0; k < K; k++) {
                    exact += head[k * d + j] * error[k];
                    fed += b[j * K + k] * error[k];
                    gHead[k * d + j] += error[k] * n[j];
                }
                gNormF[j] += exact * z[j] / r;
                back[j] = fed * normF[j];
                dot += back[j] * z[j];
            }
            // through RMSNorm: dz = (γ·g)/r − z · Σ(γ·g·z) / (d r³)
            for (int j = 0; j < d; j++) signal[j] = back[j] / r - z[j] * dot / (d * r * r * r);
        };
        LstmWeights g = cell.zerosLike();
        InputProjectionTraces front = new InputProjectionTraces(cell.ih(), norm, u, LsnnWeights.widen(x), d, inputs, steps, eps);
        LstmEProp.run(cell, v, size, steps, readout, front, g);
        install(p, CELL + "weight_ih_l0", g.ih());
        install(p, CELL + "weight_hh_l0", g.hh());
        install(p, CELL + "bias_ih_l0", g.biasIh());
        install(p, CELL + "bias_hh_l0", g.biasHh());
        install(p, NORM_F, gNormF);
        install(p, HEAD, gHead);
        install(p, PROJ + "weight", front.gradWeight);
        install(p, PROJ + "bias", front.gradBias);
        install(p, NORM, front.gradGamma);
        readoutBefore = head;
        return out;
    }

    @Override
    public void afterUpdate(SequenceModel model) {
        if (readoutBefore == null) return;
        feedback.afterUpdate(readoutBefore, values(model.namedParameters(), HEAD));
        readoutBefore = null;
    }

    /** sqrt(mean(a²) + eps) over a[from, from + length), as the model's RMSNorm computes it. */
    private double rms(double[] a, int from, int length) {
        double s = 0;
        for (int j = from; j < from + length; j++) s += a[j] * a[j];
        return Math.sqrt(s / length + eps);
    }

    private static double[] values(Map<String, Tensor> p, String name) {
        Tensor t = p.get(name);
        if (t == null) throw new IllegalArgumentException("LSTM e-prop: the model has no parameter " + name + "; it needs the registry's one-layer LSTM (--model lstm --n-layer 1)");
        return LsnnWeights.widen(t.toFloatArray());
    }

    private static void install(Map<String, Tensor> p, String name, double[] grad) {
        Tensor t = p.get(name);
        t.setGrad(t.backend().fromArray(LsnnWeights.narrow(grad), t.shape()));
    }
}
