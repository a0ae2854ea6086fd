package io.recur.snn;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The synapses onto the spiking neurons: w_in (neurons, inputs) and, in a recurrent network,
 * w_rec (neurons, neurons) with its diagonal held at zero (no neuron feeds itself). Both start
 * N(0, 1/fan_in), as in the reference implementation.
 */
public final class SpikingWeights extends Module {
    private final Param input, recurrent;

    public SpikingWeights(Initializer init, LsnnConfig config) {
        int n = config.neurons();
        input = parameter("w_in", init.normal(Shape.of(n, config.inputs()), 0, 1 / Math.sqrt(config.inputs())));
        if (config.recurrent()) {
            float[] w;
            try (Tensor drawn = init.normal(Shape.of(n, n), 0, 1 / Math.sqrt(n))) {
                w = drawn.toFloatArray();
            }
            for (int j = 0; j < n; j++) w[j * n + j] = 0f;
            recurrent = parameter("w_rec", init.fromArray(w, Shape.of(n, n)));
        } else {
            recurrent = null;
        }
    }

    public Param input() { return input; }

    /** null in a network without recurrent synapses. */
    public Param recurrent() { return recurrent; }

    /** 1 off the diagonal, 0 on it: multiplies w_rec so that self-connections stay out of the forward and the gradient. */
    static float[] offDiagonal(int n) {
        float[] m = new float[n * n];
        java.util.Arrays.fill(m, 1f);
        for (int j = 0; j < n; j++) m[j * n + j] = 0f;
        return m;
    }
}
