package io.recur.learn;

import static io.recur.snn.SpikingFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Split;
import io.recur.data.SyntheticTask;
import io.recur.data.synthetic.AddingProblem;
import io.recur.data.synthetic.EvidenceAccumulation;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.models.Models;
import io.recur.nn.SequenceModel;
import io.recur.snn.Lsnn;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.train.TaskLoss;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EPropLearnerTest {
    private final Backend cpu = Backends.cpu();

    private void checkErrorsAgainstTheTape(Batch batch) {
        SplittableRandom r = new SplittableRandom();
        int B = batch.size(), T = batch.spec().sequenceLength(), K = batch.spec().outputWidth();
        float[] y = new float[B * T * K];
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextDouble(-2, 2);
        try (Scope s = Scope.open("test")) {
            Tensor out = cpu.fromArray(y, Shape.of(B, T, K)).requiresGrad(true);
            Tape.backward(TaskLoss.mean(out, batch));
            float[] g = out.grad().toFloatArray();
            OutputErrors errors = OutputErrors.of(batch);
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    double[] yt = new double[K];
                    for (int k = 0; k < K; k++) yt[k] = y[(b * T + t) * K + k];
                    double[] d = errors.at(b, t, yt);
                    for (int k = 0; k < K; k++) assertEquals(g[(b * T + t) * K + k], d[k], 1e-6, "error at " + b + ", " + t + ", " + k);
                }
        }
    }

    @Test
    void outputErrorsAreTheGradientOfTheTrainersTaskLoss() {
        checkErrorsAgainstTheTape(new SyntheticTask(new EvidenceAccumulation(30), 3).batch(Split.TRAIN, 0, 5));
        checkErrorsAgainstTheTape(new SyntheticTask(new AddingProblem(9), 3).batch(Split.TRAIN, 0, 4));
    }

    private SequenceModel lsnn(int inputs, long seed) {
        return Models.create(new ModelConfig(Lsnn.MODEL_TYPE, 12, 1, 1, 0, inputs, 2, false, 1e-5), new Initializer(cpu, seed));
    }

    /** The readout's gradients are exact under e-prop, so they must equal the tape's BPTT on the same model and batch. */
    @Test
    void theLearnersReadoutGradientsEqualBpttOnTheModel() {
        long seed = new SplittableRandom().nextLong();
        Batch batch = new SyntheticTask(new EvidenceAccumulation(40), seed).batch(Split.TRAIN, 0, 4);
        try (SequenceModel model = lsnn(EvidenceAccumulation.CHANNELS, seed); Scope s = Scope.open("test")) {
            Map<String, Tensor> p = model.namedParameters();
            // excitatory, stronger inputs, so that neurons spike within the short trial and W_out gets a gradient
            Tensor win = p.get(Lsnn.W_IN);
            float[] v = win.toFloatArray();
            for (int i = 0; i < v.length; i++) v[i] = 4 * Math.abs(v[i]);
            cpu.copy(cpu.fromArray(v, win.shape()), win);
            Tape.backward(TaskLoss.mean(model.forward(batch.inputs(cpu)), batch));
            float[] bpttOut = p.get(Lsnn.W_OUT).grad().toFloatArray(), bpttBias = p.get(Lsnn.B_OUT).grad().toFloatArray();
            model.zeroGrad();
            EPropLearner learner = EPropLearner.forModel(LearningRule.parse("eprop-symmetric"), model, RateRegularizer.NONE, seed);
            learner.gradients(model, batch);
            assertClose(new double[][] {LsnnWeights.widen(bpttOut)}, p.get(Lsnn.W_OUT).grad().toFloatArray(), 1e-4, "w_out");
            assertClose(new double[][] {LsnnWeights.widen(bpttBias)}, p.get(Lsnn.B_OUT).grad().toFloatArray(), 1e-4, "b_out");
            assertTrue(p.get(Lsnn.W_IN).grad() != null && p.get(Lsnn.W_REC).grad() != null, "e-prop sets every parameter's gradient");
        }
    }

    @Test
    void adaptiveFeedbackFollowsTheReadoutAndDecaysTowardIt() {
        long seed = new SplittableRandom().nextLong();
        Batch batch = new SyntheticTask(new EvidenceAccumulation(20), seed).batch(Split.TRAIN, 0, 2);
        try (SequenceModel model = lsnn(EvidenceAccumulation.CHANNELS, seed); Scope s = Scope.open("test")) {
            EPropLearner learner = EPropLearner.forModel(LearningRule.parse("eprop-adaptive"), model, RateRegularizer.NONE, seed);
            EPropLearner fixed = EPropLearner.forModel(LearningRule.parse("eprop-random"), model, RateRegularizer.NONE, seed);
            Map<String, Tensor> p = model.namedParameters();
            LsnnWeights before = LsnnWeights.of(p, Lsnn.configFor(model.config()));
            double[] b0 = learner.feedbackWeights(before);
            assertEquals(b0.length, fixed.feedbackWeights(before).length);
            learner.gradients(model, batch);
            // a stand-in for the optimizer: any change of W_out
            Tensor w = p.get(Lsnn.W_OUT);
            float[] changed = w.toFloatArray();
            for (int i = 0; i < changed.length; i++) changed[i] += 0.1f * (i % 3 - 1);
            cpu.copy(cpu.fromArray(changed, w.shape()), w);
            learner.afterUpdate(model);
            double[] b1 = learner.feedbackWeights(before);
            int n = 12, K = 2;
            for (int j = 0; j < n; j++)
                for (int k = 0; k < K; k++) {
                    double expected = changed[k * n + j] + (1 - EPropLearner.ADAPTIVE_DECAY) * (b0[j * K + k] - before.out()[k * n + j]);
                    assertEquals(expected, b1[j * K + k], 1e-6, "B[" + j + "][" + k + "]");
                }
            // random feedback stays put, and is the same draw for the same seed
            double[] f0 = fixed.feedbackWeights(before);
            fixed.gradients(model, batch);
            fixed.afterUpdate(model);
            assertEquals(java.util.Arrays.toString(f0), java.util.Arrays.toString(fixed.feedbackWeights(before)));
            assertEquals(java.util.Arrays.toString(b0), java.util.Arrays.toString(f0), "adaptive feedback starts from the random draw");
        }
    }
}
