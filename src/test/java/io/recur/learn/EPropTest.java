package io.recur.learn;

import static io.recur.snn.SpikingFixtures.assertClose;
import static io.recur.snn.SpikingFixtures.flat;
import static io.recur.snn.SpikingFixtures.poissonInputs;
import static io.recur.snn.SpikingFixtures.reference;
import static io.recur.snn.SpikingFixtures.strengthenInputs;
import static io.recur.snn.SpikingFixtures.tinyConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.snn.Lsnn;
import io.recur.snn.LsnnConfig;
import io.recur.snn.LsnnReference;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EPropTest {
    private static final int B = 3, T = 20;

    /** dLoss/dy_t of a random linear loss Σ c·y, plus a softmax cross-entropy at the last step: errors that vary with y. */
    private static OutputErrors randomErrors(SplittableRandom r, int outputs) {
        double[][][] c = new double[B][T][outputs];
        for (double[][] seq : c) for (double[] step : seq) for (int k = 0; k < outputs; k++) step[k] = r.nextDouble(-1, 1);
        return (b, t, y) -> {
            double[] d = c[b][t].clone();
            if (t == T - 1) {
                double sum = 0;
                for (double v : y) sum += Math.exp(v);
                for (int k = 0; k < outputs; k++) d[k] += Math.exp(y[k]) / sum - (k == b % outputs ? 1 : 0);
            }
            return d;
        };
    }

    private static Lsnn network(LsnnConfig c, long seed) {
        Lsnn net = new Lsnn(new Initializer(Backends.cpu(), seed), c);
        strengthenInputs(net, 3);
        return net;
    }

    private static void assertGradients(LsnnReference ref, LsnnWeights g, double tolerance, String what) {
        LsnnConfig c = ref.c;
        assertClose(ref.gradIn, g.in(), tolerance, what + " w_in");
        if (c.recurrent()) assertClose(ref.gradRec, g.rec(), tolerance, what + " w_rec");
        assertClose(ref.gradOut, g.out(), tolerance, what + " w_out");
        assertClose(new double[][] {ref.gradBias}, g.bias(), tolerance, what + " b_out");
    }

    @Test
    void epropEqualsAutodiffWithStopGradientOnRecurrentSpikesAndReset() {
        for (int trial = 0; trial < 3; trial++) {
            SplittableRandom r = new SplittableRandom();
            LsnnConfig c = tinyConfig(true, false);
            double[][][] x = poissonInputs(r, B, T, c.inputs(), 0.4);
            OutputErrors errors = randomErrors(r, c.outputs());
            RateRegularizer reg = new RateRegularizer(r.nextDouble(0.1, 2), r.nextDouble(0, 200));
            try (Lsnn net = network(c, r.nextLong())) {
                LsnnWeights w = LsnnWeights.of(net);
                EProp.Result e = EProp.run(c, w, flat(x), B, T, EProp.symmetricFeedback(c, w), errors, reg);
                LsnnReference ref = reference(net);
                ref.regularization = reg.coefficient();
                ref.targetRate = reg.targetPerStep(c.dt());
                ref.forward(x);
                ref.backward(x, errors::at, true, true);
                double spikes = 0;
                for (double rate : ref.rates()) spikes += rate;
                assertTrue(spikes > 0.1, "the network should spike, got mean rate sum " + spikes);
                assertGradients(ref, e.gradients(), 1e-5, "e-prop vs stop-gradient BPTT");
                double[] rates = ref.rates();
                for (int j = 0; j < c.neurons(); j++) assertEquals(rates[j], e.rates()[j], 1e-12, "rate of neuron " + j);
                for (int b = 0; b < B; b++)
                    for (int t = 0; t < T; t++)
                        for (int k = 0; k < c.outputs(); k++)
                            assertEquals(ref.y[b][t][k], e.outputs()[(b * T + t) * c.outputs() + k], 1e-5, "y");
                // Full BPTT differs: the recurrent spikes and the reset do carry gradient there.
                ref.backward(x, errors::at, false, false);
                double diff = 0;
                for (int j = 0; j < c.neurons(); j++)
                    for (int i = 0; i < c.inputs(); i++) diff = Math.max(diff, Math.abs(ref.gradIn[j][i] - e.gradients().in()[j * c.inputs() + i]));
                assertTrue(diff > 1e-6, "e-prop should not equal full BPTT on a recurrent network; max difference " + diff);
            }
        }
    }

    @Test
    void withoutRecurrenceEpropEqualsBptt() {
        SplittableRandom r = new SplittableRandom();
        Backend cpu = Backends.cpu();
        LsnnConfig c = tinyConfig(false, true);
        double[][][] x = poissonInputs(r, B, T, c.inputs(), 0.4);
        double[][][] weights = new double[B][T][c.outputs()];
        for (double[][] seq : weights) for (double[] step : seq) for (int k = 0; k < step.length; k++) step[k] = r.nextDouble(-1, 1);
        OutputErrors errors = (b, t, y) -> weights[b][t];
        try (Lsnn net = network(c, r.nextLong()); Scope s = Scope.open("test")) {
            LsnnWeights w = LsnnWeights.of(net);
            EProp.Result e = EProp.run(c, w, flat(x), B, T, EProp.symmetricFeedback(c, w), errors, RateRegularizer.NONE);
            LsnnReference ref = reference(net);
            ref.forward(x);
            ref.backward(x, errors::at, false, true);
            assertGradients(ref, e.gradients(), 1e-9, "e-prop vs float64 BPTT");
            // and the tape's BPTT through the model itself, in float32
            Tensor y = net.forward(cpu.fromArray(flat(x), Shape.of(B, T, c.inputs())));
            Tape.backward(Reduce.sum(Arith.mul(y, cpu.fromArray(flat(weights), Shape.of(B, T, c.outputs())))));
            assertClose(new double[][] {e.gradients().in()}, net.cell().input().get().grad().toFloatArray(), 1e-4, "e-prop vs tape w_in");
            assertClose(new double[][] {e.gradients().out()}, net.readout().weight().get().grad().toFloatArray(), 1e-4, "e-prop vs tape w_out");
        }
    }

    @Test
    void randomFeedbackChangesOnlyTheNeuronGradients() {
        SplittableRandom r = new SplittableRandom();
        LsnnConfig c = tinyConfig(true, false);
        double[][][] x = poissonInputs(r, B, T, c.inputs(), 0.4);
        OutputErrors errors = randomErrors(r, c.outputs());
        try (Lsnn net = network(c, r.nextLong())) {
            LsnnWeights w = LsnnWeights.of(net);
            double[] symmetric = EProp.symmetricFeedback(c, w), random = new double[symmetric.length];
            for (int i = 0; i < random.length; i++) random[i] = r.nextGaussian();
            EProp.Result a = EProp.run(c, w, flat(x), B, T, symmetric, errors, RateRegularizer.NONE);
            EProp.Result b = EProp.run(c, w, flat(x), B, T, random, errors, RateRegularizer.NONE);
            for (int i = 0; i < a.gradients().out().length; i++) assertEquals(a.gradients().out()[i], b.gradients().out()[i], 0.0);
            double diff = 0;
            for (int i = 0; i < a.gradients().in().length; i++) diff = Math.max(diff, Math.abs(a.gradients().in()[i] - b.gradients().in()[i]));
            assertTrue(diff > 1e-6, "other feedback weights must give other learning signals; difference " + diff);
        }
    }
}
