package io.recur.learn;

import io.recur.snn.Lsnn;
import io.recur.snn.LsnnConfig;
import io.recur.tensor.Tensor;
import java.util.Map;

/**
 * An LSNN's parameters as float64 host arrays, row-major: w_in (neurons, inputs), w_rec (neurons,
 * neurons; all zero without recurrence), w_out (outputs, neurons), b_out (outputs). The e-prop
 * engine reads these; gradients come back in the same layout.
 */
public record LsnnWeights(double[] in, double[] rec, double[] out, double[] bias) {
    public static LsnnWeights of(Lsnn net) { return of(net.namedParameters(), net.config()); }

    /** From parameters by the names {@link Lsnn} gives them (as a whole model keeps them, at the top level). */
    public static LsnnWeights of(Map<String, Tensor> parameters, LsnnConfig c) {
        int n = c.neurons();
        Tensor rec = parameters.get(Lsnn.W_REC);
        return new LsnnWeights(widen(find(parameters, Lsnn.W_IN).toFloatArray()), rec == null ? new double[n * n] : widen(rec.toFloatArray()),
                widen(find(parameters, Lsnn.W_OUT).toFloatArray()), widen(find(parameters, Lsnn.B_OUT).toFloatArray()));
    }

    /** Installs these values as the gradients of the parameters (w_rec only where the network has it). */
    public void installAsGradients(Map<String, Tensor> parameters) {
        install(parameters, Lsnn.W_IN, in);
        if (parameters.containsKey(Lsnn.W_REC)) install(parameters, Lsnn.W_REC, rec);
        install(parameters, Lsnn.W_OUT, out);
        install(parameters, Lsnn.B_OUT, bias);
    }

    private static void install(Map<String, Tensor> parameters, String name, double[] values) {
        Tensor p = find(parameters, name);
        p.setGrad(p.backend().fromArray(narrow(values), p.shape()));
    }

    static Tensor find(Map<String, Tensor> parameters, String name) {
        Tensor t = parameters.get(name);
        if (t == null) throw new IllegalArgumentException("e-prop: the model has no parameter " + name + "; it needs an LSNN (--model lsnn), whose parameters are " + Lsnn.W_IN + ", " + Lsnn.W_REC + ", " + Lsnn.W_OUT + ", " + Lsnn.B_OUT);
        return t;
    }

    /** All zeros, shaped for the network: where gradients accumulate. */
    public static LsnnWeights zeros(LsnnConfig c) {
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
