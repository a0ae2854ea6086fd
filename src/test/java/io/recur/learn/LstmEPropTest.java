package io.recur.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.testing.D;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LstmEPropTest {
    private static final int B = 3, T = 15, F = 4, H = 5, K = 2;

    /** Loss Σ_{b,t} (c·y + ½|y − target|²): errors that vary with y, and a value for finite differences. */
    private record Loss(double[][][] linear, double[][][] target) implements OutputErrors {
        static Loss random(SplittableRandom r) {
            double[][][] c = new double[B][T][K], y = new double[B][T][K];
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++)
                    for (int k = 0; k < K; k++) {
                        c[b][t][k] = r.nextDouble(-1, 1);
                        y[b][t][k] = r.nextGaussian();
                    }
            return new Loss(c, y);
        }

        @Override
        public double[] at(int b, int t, double[] y) {
            double[] d = new double[K];
            for (int k = 0; k < K; k++) d[k] = linear[b][t][k] + y[k] - target[b][t][k];
            return d;
        }

        double value(int b, int t, double[] y) {
            double s = 0;
            for (int k = 0; k < K; k++) s += linear[b][t][k] * y[k] + 0.5 * (y[k] - target[b][t][k]) * (y[k] - target[b][t][k]);
            return s;
        }
    }

    private static double[] uniform(SplittableRandom r, int n, double bound) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble(-bound, bound);
        return v;
    }

    private static LstmWeights weights(SplittableRandom r, boolean recurrent) {
        return new LstmWeights(F, H, K, uniform(r, 4 * H * F, 0.8), recurrent ? uniform(r, 4 * H * H, 0.8) : new double[4 * H * H],
                uniform(r, 4 * H, 0.5), uniform(r, 4 * H, 0.5), uniform(r, K * H, 0.8), uniform(r, K, 0.5));
    }

    private static float[] inputs(SplittableRandom r) {
        float[] x = new float[B * T * F];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /**
     * Float64 autodiff of an LSTM with a linear readout, written out backward through time. With
     * stopGradient, h_{t−1} carries no gradient into the gates, and the gradient reaching h_t from the
     * readout is feedback · error (W_outᵀ · error for symmetric feedback); without, this is BPTT.
     */
    private static final class Reference {
        final LstmWeights w, grad;
        final double[] outputs = new double[B * T * K];
        double loss;

        Reference(LstmWeights w, float[] x, Loss l, double[] feedback, boolean stopGradient) {
            this.w = w;
            grad = w.zerosLike();
            for (int b = 0; b < B; b++) sequence(b, x, l, feedback, stopGradient);
        }

        private void sequence(int b, float[] x, Loss l, double[] feedback, boolean stopGradient) {
            double[][] h = new double[T + 1][H], c = new double[T + 1][H], gates = new double[T][4 * H], err = new double[T][];
            for (int t = 0; t < T; t++) {
                for (int r = 0; r < 4 * H; r++) {
                    double a = w.biasIh()[r] + w.biasHh()[r];
                    for (int q = 0; q < F; q++) a += w.ih()[r * F + q] * x[(b * T + t) * F + q];
                    for (int q = 0; q < H; q++) a += w.hh()[r * H + q] * h[t][q];
                    gates[t][r] = r / H == 2 ? Math.tanh(a) : 1 / (1 + Math.exp(-a));
                }
                for (int j = 0; j < H; j++) {
                    c[t + 1][j] = gates[t][H + j] * c[t][j] + gates[t][j] * gates[t][2 * H + j];
                    h[t + 1][j] = gates[t][3 * H + j] * Math.tanh(c[t + 1][j]);
                }
                double[] y = new double[K];
                for (int k = 0; k < K; k++) {
                    y[k] = w.outBias()[k];
                    for (int j = 0; j < H; j++) y[k] += w.out()[k * H + j] * h[t + 1][j];
                    outputs[(b * T + t) * K + k] = y[k];
                }
                loss += l.value(b, t, y);
                err[t] = l.at(b, t, y);
            }
            double[] dhRecurrent = new double[H], dcNext = new double[H];
            for (int t = T - 1; t >= 0; t--) {
                double[] da = new double[4 * H];
                for (int k = 0; k < K; k++) {
                    grad.outBias()[k] += err[t][k];
                    for (int j = 0; j < H; j++) grad.out()[k * H + j] += err[t][k] * h[t + 1][j];
                }
                for (int j = 0; j < H; j++) {
                    double dh = stopGradient ? 0 : dhRecurrent[j];
                    for (int k = 0; k < K; k++) dh += (stopGradient ? feedback[j * K + k] : w.out()[k * H + j]) * err[t][k];
                    double i = gates[t][j], f = gates[t][H + j], g = gates[t][2 * H + j], o = gates[t][3 * H + j], tc = Math.tanh(c[t + 1][j]);
                    double dc = dh * o * (1 - tc * tc) + dcNext[j];
                    da[j] = dc * g * i * (1 - i);
                    da[H + j] = dc * c[t][j] * f * (1 - f);
                    da[2 * H + j] = dc * i * (1 - g * g);
                    da[3 * H + j] = dh * tc * o * (1 - o);
                    dcNext[j] = dc * f;
                }
                java.util.Arrays.fill(dhRecurrent, 0);
                for (int r = 0; r < 4 * H; r++) {
                    grad.biasIh()[r] += da[r];
                    grad.biasHh()[r] += da[r];
                    for (int q = 0; q < F; q++) grad.ih()[r * F + q] += da[r] * x[(b * T + t) * F + q];
                    for (int q = 0; q < H; q++) {
                        grad.hh()[r * H + q] += da[r] * h[t][q];
                        dhRecurrent[q] += w.hh()[r * H + q] * da[r];
                    }
                }
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
    }

    private static void assertGradients(LstmWeights expected, LstmWeights actual, double tolerance, String what) {
        assertClose(expected.ih(), actual.ih(), tolerance, what + " weight_ih");
        assertClose(expected.hh(), actual.hh(), tolerance, what + " weight_hh");
        assertClose(expected.biasIh(), actual.biasIh(), tolerance, what + " bias_ih");
        assertClose(expected.biasHh(), actual.biasHh(), tolerance, what + " bias_hh");
        assertClose(expected.out(), actual.out(), tolerance, what + " readout weight");
        assertClose(expected.outBias(), actual.outBias(), tolerance, what + " readout bias");
    }

    @Test
    void symmetricEpropEqualsAutodiffWithNoGradientThroughPreviousOutputs() {
        for (int trial = 0; trial < 3; trial++) {
            SplittableRandom r = new SplittableRandom();
            LstmWeights w = weights(r, true);
            float[] x = inputs(r);
            Loss loss = Loss.random(r);
            LstmEProp.Result e = LstmEProp.run(w, x, B, T, w.symmetricFeedback(), loss);
            Reference ref = new Reference(w, x, loss, w.symmetricFeedback(), true);
            assertGradients(ref.grad, e.gradients(), 1e-5, "e-prop vs stop-gradient autodiff");
            for (int i = 0; i < ref.outputs.length; i++) assertEquals(ref.outputs[i], e.outputs()[i], 1e-5, "readout " + i);
            // The shortcut matters here: full BPTT's recurrent gradients differ.
            Reference bptt = new Reference(w, x, loss, null, false);
            assertTrue(D.maxAbsDifference(bptt.grad.hh(), e.gradients().hh()) > 1e-4, "with recurrent weights e-prop should differ from BPTT");
        }
    }

    @Test
    void randomFeedbackSendsTheErrorThroughB() {
        SplittableRandom r = new SplittableRandom();
        LstmWeights w = weights(r, true);
        float[] x = inputs(r);
        Loss loss = Loss.random(r);
        double[] feedback = uniform(r, H * K, 1);
        LstmEProp.Result e = LstmEProp.run(w, x, B, T, feedback, loss);
        assertGradients(new Reference(w, x, loss, feedback, true).grad, e.gradients(), 1e-5, "e-prop with random feedback");
    }

    @Test
    void withoutRecurrentWeightsEpropIsBptt() {
        for (int trial = 0; trial < 3; trial++) {
            SplittableRandom r = new SplittableRandom();
            LstmWeights w = weights(r, false);
            float[] x = inputs(r);
            Loss loss = Loss.random(r);
            LstmEProp.Result e = LstmEProp.run(w, x, B, T, w.symmetricFeedback(), loss);
            assertGradients(new Reference(w, x, loss, null, false).grad, e.gradients(), 1e-5, "e-prop vs BPTT without W_hh");
        }
    }

    /** The reference's BPTT against central finite differences of its loss, so the references above can be trusted. */
    @Test
    void referenceBpttMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom();
        LstmWeights w = weights(r, true);
        float[] x = inputs(r);
        Loss loss = Loss.random(r);
        LstmWeights g = new Reference(w, x, loss, null, false).grad;
        double[][] params = {w.ih(), w.hh(), w.biasIh(), w.out(), w.outBias()};
        double[][] grads = {g.ih(), g.hh(), g.biasIh(), g.out(), g.outBias()};
        double eps = 1e-6;
        for (int p = 0; p < params.length; p++)
            for (int n = 0; n < 6; n++) {
                int at = r.nextInt(params[p].length);
                double saved = params[p][at];
                params[p][at] = saved + eps;
                double up = new Reference(w, x, loss, null, false).loss;
                params[p][at] = saved - eps;
                double down = new Reference(w, x, loss, null, false).loss;
                params[p][at] = saved;
                assertEquals((up - down) / (2 * eps), grads[p][at], 1e-5 * Math.max(1, Math.abs(grads[p][at])), "parameter set " + p + " [" + at + "]");
            }
    }
}
