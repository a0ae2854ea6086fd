package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;

import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * ELK's Kalman gains on the CPU (see {@link io.recur.backend.Backend#kalmanGains}): the
 * work-optimal recursion, sequential in time in float64, one row of the batch per task of the
 * fork/join pool, reading and writing the tensors' storage directly.
 */
final class CpuKalman {
    private CpuKalman() {}

    static void gains(Tensor jacobian, int batch, int length, int n, double observationVariance, Tensor keep, Tensor smootherGain) {
        float[] jac = f32(jacobian), keepOut = f32(keep), gainOut = f32(smootherGain);
        int jacOff = offset(jacobian), keepOff = offset(keep), gainOff = offset(smootherGain);
        int nn = n * n;
        if (length == 0) return;
        CpuParallel.forRange(batch, 8L * length * nn * n, (from, to) -> {
            double[][] predicted = new double[length][], filtered = new double[length][];
            for (int r = from; r < to; r++) {
                int row = r * length * nn;
                double[] p = new double[nn];   // P_{-1} = 0: h0 is known
                for (int t = 0; t < length; t++) {
                    int at = row + t * nn;
                    double[] pp = SmallMatrices.sandwich(SmallMatrices.read(jac, jacOff + at, n), p, n);
                    for (int i = 0; i < n; i++) pp[i * n + i] += 1;
                    double[] s = pp.clone();
                    for (int i = 0; i < n; i++) s[i * n + i] += observationVariance;
                    double[] kept = SmallMatrices.inverse(s, n);
                    for (int i = 0; i < nn; i++) kept[i] *= observationVariance;
                    p = SmallMatrices.symmetrized(SmallMatrices.multiply(kept, pp, n), n);
                    predicted[t] = pp;
                    filtered[t] = p;
                    SmallMatrices.write(kept, keepOut, keepOff + at);
                }
                for (int t = 0; t + 1 < length; t++) {
                    double[] jNextT = SmallMatrices.transpose(SmallMatrices.read(jac, jacOff + row + (t + 1) * nn, n), n);
                    double[] g = SmallMatrices.multiply(SmallMatrices.multiply(filtered[t], jNextT, n), SmallMatrices.inverse(predicted[t + 1], n), n);
                    SmallMatrices.write(g, gainOut, gainOff + row + t * nn);
                }
                int last = gainOff + row + (length - 1) * nn;
                Arrays.fill(gainOut, last, last + nn, 0f);   // nothing after the last step to smooth from
            }
        });
    }
}
