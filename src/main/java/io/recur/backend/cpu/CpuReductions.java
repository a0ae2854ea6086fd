package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.i32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Reductions: broadcast sums (sumTo) and max over an axis. Sums accumulate in double. */
final class CpuReductions {
    private CpuReductions() {}

    static void sumTo(Tensor x, Tensor out) {
        sumTo(f32(x), offset(x), x.shape(), f32(out), offset(out), out.shape());
    }

    /**
     * out = x summed over the positions where out's shape (right-aligned) has size 1. Large inputs are
     * split into one part per core, each with its own double accumulator, added up in order.
     */
    static void sumTo(float[] x, int xo, Shape xShape, float[] out, int oo, Shape outShape) {
        Broadcast walk = Broadcast.of(xShape, outShape, null);
        int outSize = outShape.intSize();
        int n = walk.size();
        int parts = Math.min(CpuParallel.parts(n), Math.max(1, n));
        double[][] partial = new double[parts][outSize];
        int chunk = (n + parts - 1) / Math.max(1, parts);
        CpuParallel.forRange(parts, CpuParallel.MIN_PARALLEL_WORK, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                double[] acc = partial[p];
                walk.forEachRun(p * chunk, Math.min(n, (p + 1) * chunk), (pos, len, offO, so, ignored, unused) -> {
                    if (so == 0) {      // the whole run lands in one sum: keep it in a register
                        double s = 0;
                        for (int t = 0; t < len; t++) s += x[xo + pos + t];
                        acc[offO] += s;
                    } else {
                        for (int t = 0, io = offO; t < len; t++, io += so) acc[io] += x[xo + pos + t];
                    }
                });
            }
        });
        for (int i = 0; i < outSize; i++) {
            double s = 0;
            for (double[] acc : partial) s += acc[i];
            out[oo + i] = (float) s;
        }
    }

    /** x viewed as (outer, n, inner) → max over n into out (outer, inner); first index of the max into argmax. NaN wins. */
    static void maxAxis(Tensor x, int outer, int n, int inner, Tensor out, Tensor argmax) {
        if (n <= 0 && (long) outer * inner > 0) throw new IllegalArgumentException("maxAxis over an empty axis");
        requireSize(x, (long) outer * n * inner, "maxAxis input");
        requireSize(out, (long) outer * inner, "maxAxis output");
        if (argmax != null) requireSize(argmax, (long) outer * inner, "maxAxis argmax");
        float[] xs = f32(x), os = f32(out);
        int[] args = argmax == null ? null : i32(argmax);
        int xo = offset(x), oo = offset(out), ao = argmax == null ? 0 : offset(argmax);
        CpuParallel.forRange(outer, (long) n * inner, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = xo + o * n * inner, ob = oo + o * inner, ab = ao + o * inner;
                System.arraycopy(xs, base, os, ob, inner);
                if (args != null) java.util.Arrays.fill(args, ab, ab + inner, 0);
                for (int j = 1; j < n; j++) {
                    int row = base + j * inner;
                    for (int i = 0; i < inner; i++) {
                        float v = xs[row + i], best = os[ob + i];
                        if (v > best || (v != v && best == best)) {
                            os[ob + i] = v;
                            if (args != null) args[ab + i] = j;
                        }
                    }
                }
            }
        });
    }
}
