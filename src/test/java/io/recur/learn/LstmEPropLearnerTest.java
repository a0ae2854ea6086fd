package io.recur.learn;

import static io.recur.snn.SpikingFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.train.TaskLoss;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LstmEPropLearnerTest {
    private static final String CELL = "backbone.layers.0.mixer.", HEAD = "lm_head.weight", NORM_F = "backbone.norm_f.weight";
    private final Backend cpu = Backends.cpu();

    private SequenceModel lstm(int layers, int inputs, int outputs, long seed) {
        return Models.create(new ModelConfig("lstm", 6, layers, 1, 0, inputs, outputs, false, 1e-5), new Initializer(cpu, seed));
    }

    private static double[][] wide(Tensor grad) { return new double[][] {LsnnWeights.widen(grad.toFloatArray())}; }

    /**
     * The model's tape BPTT against the learner with symmetric feedback. The readout (final norm and
     * head) is exact under e-prop, so it always matches; without recurrent weights so does every
     * parameter (the LSTM and the input projection and norm in front of it), and the learner's
     * readouts are the model's own.
     */
    private void compareWithTheTape(Batch batch, SequenceModel model, boolean recurrent) {
        try (Scope s = Scope.open("test")) {
            Map<String, Tensor> p = model.namedParameters();
            Tensor hh = p.get(CELL + "weight_hh_l0");
            if (!recurrent) cpu.copy(cpu.fromArray(new float[hh.shape().intSize()], hh.shape()), hh);
            Tensor forward = model.forward(batch.inputs(cpu));
            float[] y = forward.toFloatArray();
            Tape.backward(TaskLoss.mean(forward, batch));
            Map<String, double[][]> bptt = new java.util.HashMap<>();
            for (String name : p.keySet()) bptt.put(name, wide(p.get(name).grad()));
            model.zeroGrad();
            OnlineLearner learner = OnlineLearner.forModel(LearningRule.parse("eprop-symmetric"), model, RateRegularizer.NONE, 1);
            float[] out = learner.gradients(model, batch);
            assertClose(new double[][] {LsnnWeights.widen(y)}, out, 1e-5, "readouts");
            assertClose(bptt.get(HEAD), p.get(HEAD).grad().toFloatArray(), 1e-4, "lm_head");
            assertClose(bptt.get(NORM_F), p.get(NORM_F).grad().toFloatArray(), 1e-4, "norm_f");
            if (!recurrent)
                for (String name : p.keySet()) assertClose(bptt.get(name), p.get(name).grad().toFloatArray(), 1e-4, name);
            else {
                // the shortcut matters: through h_{t-1} BPTT's recurrent gradients differ
                double[] full = bptt.get(CELL + "weight_hh_l0")[0];
                float[] eprop = p.get(CELL + "weight_hh_l0").grad().toFloatArray();
                double most = 0, apart = 0;
                for (int i = 0; i < full.length; i++) {
                    most = Math.max(most, Math.abs(full[i]));
                    apart = Math.max(apart, Math.abs(full[i] - eprop[i]));
                }
                assertTrue(apart > 1e-3 * most, "e-prop's weight_hh gradient should differ from BPTT's: " + apart + " of " + most);
            }
        }
    }

    @Test
    void withoutRecurrentWeightsTheLearnerIsTheModelsBptt() {
        long seed = new SplittableRandom().nextLong();
        try (SequenceModel model = lstm(1, 2, 1, seed)) {
            compareWithTheTape(new SyntheticTask(new AddingProblem(9), seed).batch(Split.TRAIN, 0, 4), model, false);
        }
        try (SequenceModel model = lstm(1, EvidenceAccumulation.CHANNELS, 2, seed)) {
            compareWithTheTape(new SyntheticTask(new EvidenceAccumulation(30), seed).batch(Split.TRAIN, 0, 3), model, false);
        }
    }

    @Test
    void withRecurrentWeightsTheReadoutStaysExactAndTheLstmDiffersFromBptt() {
        long seed = new SplittableRandom().nextLong();
        try (SequenceModel model = lstm(1, 2, 1, seed)) {
            compareWithTheTape(new SyntheticTask(new AddingProblem(12), seed).batch(Split.TRAIN, 0, 4), model, true);
        }
    }

    @Test
    void modelsWithoutAnEngineFailClearly() {
        LearningRule rule = LearningRule.parse("eprop-random");
        try (SequenceModel deep = lstm(2, 2, 1, 3)) {
            var e = assertThrows(IllegalArgumentException.class, () -> OnlineLearner.forModel(rule, deep, RateRegularizer.NONE, 1));
            assertTrue(e.getMessage().contains("use --n-layer 1 (got 2)"), e.getMessage());
        }
        try (SequenceModel gru = Models.create(new ModelConfig("gru", 6, 1, 1, 0, 2, 1, false, 1e-5), new Initializer(cpu, 3))) {
            var e = assertThrows(IllegalArgumentException.class, () -> OnlineLearner.forModel(rule, gru, RateRegularizer.NONE, 1));
            assertTrue(e.getMessage().contains("gru has none: use --learning bptt"), e.getMessage());
        }
    }
}
