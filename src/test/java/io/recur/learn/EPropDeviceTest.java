package io.recur.learn;

import static io.recur.snn.SpikingFixtures.assertClose;
import static io.recur.snn.SpikingFixtures.flat;
import static io.recur.snn.SpikingFixtures.poissonInputs;
import static io.recur.snn.SpikingFixtures.strengthenInputs;
import static io.recur.snn.SpikingFixtures.tinyConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.snn.Lsnn;
import io.recur.snn.LsnnConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused e-prop step (CPU reference and kernels/eprop.cu) against the float64 host engine. */
class EPropDeviceTest {
    private static void compare(Backend backend, LsnnConfig c, int batch, int steps, float inputGain) {
        SplittableRandom r = new SplittableRandom();
        double[][][] x = poissonInputs(r, batch, steps, c.inputs(), 0.4);
        double[][][] weights = new double[batch][steps][c.outputs()];
        for (double[][] seq : weights) for (double[] step : seq) for (int k = 0; k < step.length; k++) step[k] = r.nextDouble(-1, 1);
        OutputErrors errors = (b, t, y) -> {
            double[] d = weights[b][t].clone();
            d[0] += 0.1 * y[0]; // depends on the readout, so a wrong readout shows
            return d;
        };
        RateRegularizer reg = new RateRegularizer(r.nextDouble(0.1, 1), r.nextDouble(0, 100));
        try (Lsnn net = new Lsnn(new Initializer(Backends.cpu(), r.nextLong()), c)) {
            strengthenInputs(net, inputGain);
            LsnnWeights w = LsnnWeights.of(net);
            double[] feedback = new double[c.neurons() * c.outputs()];
            for (int i = 0; i < feedback.length; i++) feedback[i] = r.nextGaussian();
            EProp.Result host = EProp.run(c, w, flat(x), batch, steps, feedback, errors, reg);
            EProp.Result device = EPropDevice.run(backend, c, w, flat(x), batch, steps, feedback, errors, reg);
            String tag = backend.name() + " " + batch + "x" + steps + (c.recurrent() ? "" : " feed-forward");
            for (int j = 0; j < c.neurons(); j++) assertEquals(host.rates()[j], device.rates()[j], 1e-12, tag + " rate " + j);
            assertClose(new double[][] {LsnnWeights.widen(host.outputs())}, device.outputs(), 1e-5, tag + " outputs");
            assertClose(new double[][] {host.gradients().in()}, device.gradients().in(), 1e-4, tag + " w_in");
            if (c.recurrent()) assertClose(new double[][] {host.gradients().rec()}, device.gradients().rec(), 1e-4, tag + " w_rec");
            assertClose(new double[][] {host.gradients().out()}, device.gradients().out(), 1e-4, tag + " w_out");
            assertClose(new double[][] {host.gradients().bias()}, device.gradients().bias(), 1e-4, tag + " b_out");
        }
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void theFusedStepMatchesTheHostEngine(Backend backend) {
        compare(backend, tinyConfig(true, false), 3, 17, 3);
        compare(backend, tinyConfig(false, false), 2, 9, 3);
        compare(backend, tinyConfig(true, false), 1, 8, 3);
        // more synapses than one block of threads (and a grid-stride pass): 40 inputs + 30 neurons, 30 post
        LsnnConfig wide = new LsnnConfig(40, 15, 15, 3, 1, 8, 30, 6, 0.5, 0.4, 2, LsnnConfig.GAMMA, true, false);
        compare(backend, wide, 2, 12, 0.5f);  // 40 inputs: weaker synapses keep voltages where ψ > 0
    }
}
