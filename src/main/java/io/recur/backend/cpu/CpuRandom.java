package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSameSize;

import io.recur.random.Philox;
import io.recur.tensor.Tensor;

/**
 * Random tensors and dropout from the Philox4x32-10 stream (element i: word i % 4 of the block at
 * counter offset + i / 4). Parallel chunks are independent, since any element can be computed alone.
 */
final class CpuRandom {
    /** Philox rounds per element are costly: go parallel early. */
    private static final long COST = 8;

    private CpuRandom() {}

    static void uniform(Tensor t, long seed, long offset, float lo, float hi) {
        float[] ts = f32(t);
        int to = offset(t);
        CpuParallel.forRange(t.shape().intSize(), COST,
                (from, end) -> Philox.fillUniform(ts, to + from, from, end, seed, offset, lo, hi));
    }

    static void normal(Tensor t, long seed, long offset, float mean, float std) {
        float[] ts = f32(t);
        int to = offset(t);
        CpuParallel.forRange(t.shape().intSize(), COST,
                (from, end) -> Philox.fillNormal(ts, to + from, from, end, seed, offset, mean, std));
    }

    /** y[i] = x[i] / (1 - p) where uniform word i >= p, else 0. */
    static void dropout(Tensor x, float p, long seed, long offset, Tensor y) {
        requireSameSize(x, y, "dropout");
        float[] xs = f32(x), ys = f32(y);
        int xo = offset(x), yo = offset(y);
        float keep = 1f - p;
        CpuParallel.forRange(x.shape().intSize(), COST, (from, end) -> {
            int[] w = new int[4];
            long block = -1;
            for (int i = from; i < end; i++) {
                long b = (long) i >>> 2;
                if (b != block) { Philox.block(seed, offset + b, w); block = b; }
                ys[yo + i] = Philox.uniform(w[i & 3]) >= p ? xs[xo + i] / keep : 0f;
            }
        });
    }
}
