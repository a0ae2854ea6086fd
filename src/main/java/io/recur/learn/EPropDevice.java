package io.recur.learn;

import io.recur.backend.Backend;
import io.recur.backend.EPropStepArgs;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.snn.LsnnConfig;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * {@link EProp} on a backend: the currents W_in x_t + W_rec z_{t−1} by GEMM, then one fused
 * {@link Backend#epropStep} that steps the neurons and updates every synapse's traces and gradient
 * (on a GPU, kernels/eprop.cu), in float32. The readout, its errors and the learning signals
 * (O(batch × (neurons + outputs)) per step) are computed on the host as in {@link EProp}; the
 * learning signal of step t is applied by the next step's launch, and by a last flush after the end.
 * Each step's inputs are uploaded when it runs, so device memory is O(batch × neurons × presynaptic),
 * independent of the length.
 */
public final class EPropDevice {
    private static final int V = 0, A = 1, Z = 2, R = 3, PSI = 4;

    private EPropDevice() {}

    /** As {@link EProp#run}, on {@code backend}. */
    public static EProp.Result run(Backend backend, LsnnConfig c, LsnnWeights w, float[] x, int batch, int steps, double[] feedback,
                                   OutputErrors errors, RateRegularizer regularizer) {
        int n = c.neurons(), F = c.inputs(), K = c.outputs(), pre = F + (c.recurrent() ? n : 0);
        if (x.length != (long) batch * steps * F)
            throw new IllegalArgumentException("e-prop: " + x.length + " input values for (batch " + batch + ", time " + steps + ", inputs " + F + ")");
        LsnnWeights g = LsnnWeights.zeros(c);
        float[] outputs = new float[batch * steps * K];
        ReadoutLearning readout = new ReadoutLearning(c, w, g, feedback, errors, batch, steps, outputs);
        double[] spikeCount = new double[n], grad, eSum;
        try (Scope scope = Scope.open("e-prop")) {
            Tensor wIn = backend.fromArray(LsnnWeights.narrow(w.in()), Shape.of(n, F));
            Tensor wRec = c.recurrent() ? backend.fromArray(withoutSelfConnections(w.rec(), n), Shape.of(n, n)) : null;
            float[] xHost = new float[batch * F];
            Tensor[] old = zeros(backend, 5, Shape.of(batch, n)), fresh = zeros(backend, 5, Shape.of(batch, n));
            Tensor ev0 = backend.zeros(Shape.of(batch, pre)), ev1 = backend.zeros(Shape.of(batch, pre));
            Tensor adapt = backend.zeros(Shape.of(batch, Math.max(1, c.alif()), pre));
            Tensor filtered = backend.zeros(Shape.of(batch, n, pre)), signal = backend.zeros(Shape.of(batch, n));
            Tensor gradT = backend.zeros(Shape.of(n, pre)), eSumT = backend.zeros(Shape.of(n, pre));
            float[] signalHost = new float[batch * n];
            double[] zb = new double[n], lb = new double[n];
            for (int t = 0; t < steps; t++) {
                try (Scope step = Scope.open("e-prop step")) {
                    for (int b = 0; b < batch; b++) System.arraycopy(x, (b * steps + t) * F, xHost, b * F, F);
                    Tensor xt = backend.fromArray(xHost, Shape.of(batch, F));
                    Tensor current = MatMul.linear(xt, wIn, null);
                    if (wRec != null) current = Arith.add(current, MatMul.linear(old[Z], wRec, null));
                    backend.epropStep(args(c, current, xt, old, fresh, ev0, ev1, adapt, filtered, signal, gradT, eSumT, batch, pre, false));
                    float[] z = fresh[Z].toFloatArray();
                    for (int b = 0; b < batch; b++) {
                        for (int j = 0; j < n; j++) { zb[j] = z[b * n + j]; spikeCount[j] += zb[j]; }
                        readout.step(b, t, zb, lb);
                        for (int j = 0; j < n; j++) signalHost[b * n + j] = (float) lb[j];
                    }
                    backend.copy(backend.fromArray(signalHost, Shape.of(batch, n)), signal);
                }
                Tensor[] s = old; old = fresh; fresh = s;
                Tensor e = ev0; ev0 = ev1; ev1 = e;
            }
            // flushing reads only the signal, filtered traces and accumulators (current and x stand in)
            backend.epropStep(args(c, old[V], old[V], old, fresh, ev0, ev1, adapt, filtered, signal, gradT, eSumT, batch, pre, true));
            grad = LsnnWeights.widen(gradT.toFloatArray());
            eSum = LsnnWeights.widen(eSumT.toFloatArray());
        }
        double[] rates = EProp.finish(c, grad, eSum, spikeCount, batch, steps, regularizer, g);
        return new EProp.Result(outputs, g, rates);
    }

    private static EPropStepArgs args(LsnnConfig c, Tensor current, Tensor x, Tensor[] old, Tensor[] fresh, Tensor ev0, Tensor ev1,
                                      Tensor adapt, Tensor filtered, Tensor signal, Tensor grad, Tensor eSum, int batch, int pre, boolean flush) {
        return new EPropStepArgs(current, x, old[V], old[A], old[Z], old[R], old[PSI], fresh[V], fresh[A], fresh[Z], fresh[R], fresh[PSI],
                ev0, ev1, adapt, filtered, signal, grad, eSum, batch, c.neurons(), c.lif(), c.inputs(), pre, c.refractorySteps(), flush,
                (float) c.alpha(), (float) c.rho(), (float) c.kappa(), (float) c.threshold(), (float) c.beta(), (float) c.gamma());
    }

    private static Tensor[] zeros(Backend backend, int count, Shape shape) {
        Tensor[] t = new Tensor[count];
        for (int i = 0; i < count; i++) t[i] = backend.zeros(shape);
        return t;
    }

    private static float[] withoutSelfConnections(double[] rec, int n) {
        float[] m = LsnnWeights.narrow(rec);
        for (int j = 0; j < n; j++) m[j * n + j] = 0f;
        return m;
    }
}
