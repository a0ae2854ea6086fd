package io.recur.backend.cpu;

import io.recur.backend.BlockTerms;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * Block Jacobians (Backend#rowScaledBlocks) on the CPU: one output row at a time, cleared and then
 * added to by each term of its block row (a scaled row of the weight, or one diagonal element), so
 * every output element is written from cache once. Rows are split over the cores.
 */
final class CpuRowScaledBlocks {
    private CpuRowScaledBlocks() {}

    static void apply(Tensor coefficients, Tensor weight, BlockTerms terms, int matrices, int n, Tensor out) {
        float[] c = CpuStorage.f32(coefficients), w = CpuStorage.f32(weight), o = CpuStorage.f32(out);
        int cOff = CpuStorage.offset(coefficients), wOff = CpuStorage.offset(weight), oOff = CpuStorage.offset(out);
        int count = terms.count(), side = terms.blocks() * n;
        CpuParallel.forRange(Math.multiplyExact(matrices, side), (long) side * (count + 1), (from, to) -> {
            for (int r = from; r < to; r++) {
                int m = r / side, local = r - m * side, a = local / n, i = local - a * n;
                int row = oOff + r * side, coefficient = cOff + m * count * n + i;
                Arrays.fill(o, row, row + side, 0f);
                for (int k = 0; k < count; k++) {
                    if (terms.row(k) != a) continue;
                    float s = c[coefficient + k * n];
                    int dst = row + terms.col(k) * n, g = terms.weightBlock(k);
                    if (g == BlockTerms.IDENTITY) {
                        o[dst + i] += s;
                        continue;
                    }
                    int src = wOff + (g * n + i) * n;
                    for (int j = 0; j < n; j++) o[dst + j] += s * w[src + j];
                }
            }
        });
    }
}
