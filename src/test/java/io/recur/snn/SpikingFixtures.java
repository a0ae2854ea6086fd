package io.recur.snn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Small spiking networks, random spike inputs and the float64 reference, shared by the snn and learn tests. */
public final class SpikingFixtures {
    private SpikingFixtures() {}

    /** A small network whose neurons spike often enough for gradients to pass through several spikes. */
    public static LsnnConfig tinyConfig(boolean recurrent, boolean detachReset) {
        return new LsnnConfig(3, 2, 2, 2, 1, 8, 30, 6, 0.5, 0.4, 2, LsnnConfig.GAMMA, recurrent, detachReset);
    }

    public static double[][][] poissonInputs(SplittableRandom r, int batch, int steps, int features, double p) {
        double[][][] x = new double[batch][steps][features];
        for (double[][] seq : x) for (double[] step : seq) for (int i = 0; i < features; i++) step[i] = r.nextDouble() < p ? 1 : 0;
        return x;
    }

    public static float[] flat(double[][][] x) {
        int B = x.length, T = x[0].length, F = x[0][0].length;
        float[] out = new float[B * T * F];
        for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) for (int i = 0; i < F; i++) out[(b * T + t) * F + i] = (float) x[b][t][i];
        return out;
    }

    /** Makes w_in excitatory and stronger, so that inputs drive spikes within a few steps. */
    public static void strengthenInputs(Lsnn net, float factor) {
        Tensor w = net.cell().input().get();
        float[] v = w.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]) * factor;
        Map<String, Tensor> m = new LinkedHashMap<>(net.namedParameters());
        try (Tensor scaled = w.backend().fromArray(v, w.shape())) {
            m.put("cell.w_in", scaled);
            net.loadStateDict(m);
        }
    }

    public static LsnnReference reference(Lsnn net) {
        LsnnConfig c = net.config();
        int n = c.neurons();
        double[][] rec = c.recurrent() ? LsnnReference.matrix(net.cell().recurrent().get().toFloatArray(), n, n) : new double[n][n];
        double[][] out = LsnnReference.matrix(net.readout().weight().get().toFloatArray(), c.outputs(), n);
        float[] bias = net.readout().bias().get().toFloatArray();
        double[] b = new double[bias.length];
        for (int k = 0; k < b.length; k++) b[k] = bias[k];
        return new LsnnReference(c, LsnnReference.matrix(net.cell().input().get().toFloatArray(), n, c.inputs()), rec, out, b);
    }

    public static void assertClose(double[][] expected, float[] actual, double relative, String what) {
        double[] wide = new double[actual.length];
        for (int i = 0; i < wide.length; i++) wide[i] = actual[i];
        assertClose(expected, wide, relative, what);
    }

    /** Each entry within relative × the largest reference magnitude (which must not be zero). */
    public static void assertClose(double[][] expected, double[] actual, double relative, String what) {
        double scale = 0;
        for (double[] row : expected) for (double e : row) scale = Math.max(scale, Math.abs(e));
        assertTrue(scale > 0, what + ": the reference gradient is all zero, so the check would prove nothing");
        int cols = expected[0].length;
        assertEquals(expected.length * cols, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++)
            for (int k = 0; k < cols; k++)
                assertEquals(expected[i][k], actual[i * cols + k], relative * scale, what + "[" + i + "][" + k + "]");
    }
}
