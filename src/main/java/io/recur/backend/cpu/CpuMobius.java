package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;

import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * Composed Möbius maps from 0 on the CPU (see {@link io.recur.backend.Backend#mobiusPrefix}): the
 * work-optimal recursion, sequential in time in float64, rows of the batch split over the fork/join
 * pool. Within a row the loop runs over time and, inside, over the contiguous channels, carrying
 * one state per channel, so every read and write streams through memory.
 */
final class CpuMobius {
    private CpuMobius() {}

    static void prefix(Tensor m11, Tensor m12, Tensor m21, Tensor m22, int batch, int length, int channels, Tensor out) {
        float[] a = f32(m11), b = f32(m12), c = f32(m21), d = f32(m22), p = f32(out);
        int aOff = offset(m11), bOff = offset(m12), cOff = offset(m21), dOff = offset(m22), pOff = offset(out);
        int rowSize = length * channels;
        if (rowSize == 0) return;
        CpuParallel.forRange(batch, 8L * rowSize, (from, to) -> {
            double[] state = new double[channels];
            for (int r = from; r < to; r++) {
                Arrays.fill(state, 0);   // p_{-1} = 0
                for (int t = 0, at = r * rowSize; t < length; t++, at += channels)
                    for (int k = 0; k < channels; k++) {
                        double prev = state[k];
                        double next = (a[aOff + at + k] * prev + b[bOff + at + k]) / (c[cOff + at + k] * prev + d[dOff + at + k]);
                        state[k] = next;
                        p[pOff + at + k] = (float) next;
                    }
            }
        });
    }
}
