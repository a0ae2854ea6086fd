package io.recur.snn;

import static io.recur.snn.SpikingFixtures.assertClose;
import static io.recur.snn.SpikingFixtures.flat;
import static io.recur.snn.SpikingFixtures.poissonInputs;
import static io.recur.snn.SpikingFixtures.reference;
import static io.recur.snn.SpikingFixtures.strengthenInputs;
import static io.recur.snn.SpikingFixtures.tinyConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.ops.Shapes;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LsnnTest {
    private static final double HALF_LIFE_ONE_STEP = 1 / Math.log(2); // τ with exp(−dt/τ) = 0.5

    /** One LIF (neuron 0) and one ALIF (neuron 1), thr 1, β 1, α = ρ = κ = 0.5, one refractory step. */
    private static LsnnConfig handConfig() {
        return new LsnnConfig(1, 1, 1, 1, 1, HALF_LIFE_ONE_STEP, HALF_LIFE_ONE_STEP, HALF_LIFE_ONE_STEP, 1, 1, 1, LsnnConfig.GAMMA, true, false);
    }

    @Test
    void lifAndAlifStepsMatchHandComputation() {
        Backend cpu = Backends.cpu();
        try (Lsnn net = new Lsnn(new Initializer(cpu, 1), handConfig()); Scope s = Scope.open("test")) {
            Map<String, Tensor> w = new LinkedHashMap<>();
            w.put("cell.w_in", cpu.fromArray(new float[] {4, 4}, Shape.of(2, 1)));
            // ALIF → LIF weight 2; the diagonal's 5 must be ignored (no self-connections).
            w.put("cell.w_rec", cpu.fromArray(new float[] {5, 2, 0, 5}, Shape.of(2, 2)));
            w.put("readout.weight", cpu.fromArray(new float[] {1, 1}, Shape.of(1, 2)));
            w.put("readout.bias", cpu.fromArray(new float[] {0}, Shape.of(1)));
            net.loadStateDict(w);
            var rec = new Lsnn.Recording(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            Tensor y = net.forward(cpu.fromArray(new float[] {1, 1, 1, 0}, Shape.of(1, 4, 1)), null, rec).output();
            // t0: v = 0.5·4 = 2 for both, A = 1, both spike.
            // t1: LIF v = 1 + 0.5·(4 + 2) − 1 = 3, ALIF v = 1 + 2 − 1 = 2, b = 1 so A = 2; both refractory.
            // t2: LIF v = 1.5 + 2 = 3.5, ALIF v = 1 + 2 = 3, b = 0.5 so A = 1.5; both spike.
            // t3: x = 0; LIF v = 1.75 + 0.5·2 − 1 = 1.75, ALIF v = 1.5 − 1 = 0.5, b = 1.25 so A = 2.25; refractory.
            float[][] v = {{2, 2}, {3, 2}, {3.5f, 3}, {1.75f, 0.5f}}, a = {{1, 1}, {1, 2}, {1, 1.5f}, {1, 2.25f}}, z = {{1, 1}, {0, 0}, {1, 1}, {0, 0}};
            for (int t = 0; t < 4; t++) {
                assertArrayEquals(v[t], rec.voltages().get(t), 1e-5f, "v at step " + t);
                assertArrayEquals(a[t], rec.thresholds().get(t), 1e-5f, "A at step " + t);
                assertArrayEquals(z[t], rec.spikes().get(t), "z at step " + t);
            }
            // y = 0.5 y + z0 + z1
            assertArrayEquals(new float[] {2, 1, 2.5f, 1.25f}, y.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void theSpikeIsAHeavisideWhoseGradientIsThePseudoDerivative() {
        Backend cpu = Backends.cpu();
        try (Scope s = Scope.open("test")) {
            float[] xs = {-1.5f, -0.5f, 0f, 0.25f, 0.9f, 2f};
            Tensor x = cpu.fromArray(xs, Shape.of(6)).requiresGrad(true);
            boolean[] refractory = {false, false, false, false, true, false};
            Tensor z = SpikeFunction.apply(x, refractory, 0.3);
            assertArrayEquals(new float[] {0, 0, 0, 1, 0, 1}, z.toFloatArray());
            Tape.backward(Reduce.sum(z));
            assertArrayEquals(new float[] {0, 0.15f, 0.3f, 0.225f, 0, 0}, x.grad().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void stepsCarryTheWholeStateIncludingRefractoriness() {
        Backend cpu = Backends.cpu();
        SplittableRandom r = new SplittableRandom();
        LsnnConfig c = tinyConfig(true, false);
        int B = 2, T = 10;
        double[][][] x = poissonInputs(r, B, T, c.inputs(), 0.5);
        try (Lsnn net = new Lsnn(new Initializer(cpu, r.nextLong()), c); Scope s = Scope.open("test");
             var ng = Tape.noGrad()) {
            strengthenInputs(net, 3);
            Tensor inputs = cpu.fromArray(flat(x), Shape.of(B, T, c.inputs()));
            float[] whole = net.forward(inputs).toFloatArray();
            // the first half as a sequence, then one step at a time from its final state
            var first = net.forward(Shapes.slice(inputs, 1, 0, 4), null);
            float[] firstOut = first.output().toFloatArray();
            var state = first.state();
            for (int t = 0; t < T; t++) {
                float[] y;
                if (t < 4) {
                    y = new float[B * c.outputs()];
                    for (int b = 0; b < B; b++) System.arraycopy(firstOut, (b * 4 + t) * c.outputs(), y, b * c.outputs(), c.outputs());
                } else {
                    var o = net.step(Shapes.reshape(Shapes.slice(inputs, 1, t, t + 1), B, c.inputs()), state);
                    state = o.state();
                    y = o.output().toFloatArray();
                }
                for (int b = 0; b < B; b++)
                    for (int k = 0; k < c.outputs(); k++)
                        assertEquals(whole[(b * T + t) * c.outputs() + k], y[b * c.outputs() + k], 1e-6f, "y at " + b + ", " + t);
            }
        }
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void bpttThroughTheTapeEqualsAFloat64SurrogateGradient(Backend backend) {
        for (boolean detachReset : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom();
            int B = 2, T = 14;
            LsnnConfig c = tinyConfig(true, detachReset);
            double[][][] x = poissonInputs(r, B, T, c.inputs(), 0.4);
            double[][][] weights = new double[B][T][c.outputs()];
            for (double[][] seq : weights) for (double[] step : seq) for (int k = 0; k < step.length; k++) step[k] = r.nextDouble(-1, 1);
            try (Lsnn net = new Lsnn(new Initializer(backend, r.nextLong()), c); Scope s = Scope.open("test")) {
                strengthenInputs(net, 3);
                Tensor y = net.forward(backend.fromArray(flat(x), Shape.of(B, T, c.inputs())));
                Tape.backward(Reduce.sum(Arith.mul(y, backend.fromArray(flat(weights), Shape.of(B, T, c.outputs())))));
                LsnnReference ref = reference(net);
                ref.forward(x);
                ref.backward(x, (b, t, out) -> weights[b][t], false, detachReset);
                double spikes = 0;
                for (double rate : ref.rates()) spikes += rate;
                assertTrue(spikes > 0.1, "the network should spike, got mean rate sum " + spikes);
                float[] yf = y.toFloatArray();
                for (int b = 0; b < B; b++)
                    for (int t = 0; t < T; t++)
                        for (int k = 0; k < c.outputs(); k++)
                            assertEquals(ref.y[b][t][k], yf[(b * T + t) * c.outputs() + k], 1e-4, "y");
                String tag = backend.name() + (detachReset ? " detached reset " : " ");
                assertClose(ref.gradIn, net.cell().input().get().grad().toFloatArray(), 1e-4, tag + "w_in");
                assertClose(ref.gradRec, net.cell().recurrent().get().grad().toFloatArray(), 1e-4, tag + "w_rec");
                assertClose(ref.gradOut, net.readout().weight().get().grad().toFloatArray(), 1e-4, tag + "w_out");
                assertClose(new double[][] {ref.gradBias}, net.readout().bias().get().grad().toFloatArray(), 1e-4, tag + "b_out");
                float[] diagonal = net.cell().recurrent().get().grad().toFloatArray();
                for (int j = 0; j < c.neurons(); j++) assertEquals(0f, diagonal[j * c.neurons() + j], 0f, "self-connections get no gradient");
                net.zeroGrad();
            }
        }
    }
}
