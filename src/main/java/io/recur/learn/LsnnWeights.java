package io.recur.learn;

import io.recur.snn.Lsnn;

/**
 * An LSNN's parameters as float64 host arrays, row-major: w_in (neurons, inputs), w_rec (neurons,
 * neurons; all zero without recurrence), w_out (outputs, neurons), b_out (outputs). The e-prop
 * engine reads these; gradients come back in the same layout.
 */
public record LsnnWeights(double[] in, double[] rec, double[] out, double[] bias) {
    public static LsnnWeights of(Lsnn net) {
        int n = net.config().neurons();
        return new LsnnWeights(widen(net.cell().input().get().toFloatArray()),
                net.cell().recurrent() == null ? new double[n * n] : widen(net.cell().recurrent().get().toFloatArray()),
                widen(net.readout().weight().get().toFloatArray()), widen(net.readout().bias().get().toFloatArray()));
    }

    /** All zeros, shaped for the network: where gradients accumulate. */
    public static LsnnWeights zeros(io.recur.snn.LsnnConfig c) {
        int n = c.neurons();
        return new LsnnWeights(new double[n * c.inputs()], new double[n * n], new double[c.outputs() * n], new double[c.outputs()]);
    }

    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    static float[] narrow(double[] d) {
        float[] v = new float[d.length];
        for (int i = 0; i < d.length; i++) v[i] = (float) d[i];
        return v;
    }
}
