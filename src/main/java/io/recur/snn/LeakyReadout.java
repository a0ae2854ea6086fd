package io.recur.snn;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.tensor.Shape;

/**
 * The readout of a spiking network: leaky units y ← κ y + W_out z + b_out with weight
 * (outputs, neurons) N(0, 1/neurons) and a zero bias.
 */
public final class LeakyReadout extends Module {
    private final Param weight, bias;

    public LeakyReadout(Initializer init, LsnnConfig config) {
        weight = parameter("weight", init.normal(Shape.of(config.outputs(), config.neurons()), 0, 1 / Math.sqrt(config.neurons())));
        bias = parameter("bias", init.full(Shape.of(config.outputs()), 0f));
    }

    public Param weight() { return weight; }

    public Param bias() { return bias; }
}
