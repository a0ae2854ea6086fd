package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.i32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Tensor;

/**
 * Gathers, scatters, embedding lookups, block copies and axis swaps. Indices are checked: the
 * backend must never read or write out of bounds, whatever the caller passes.
 */
final class CpuIndexing {
    /** Tile edge for transposes: a 32×32 tile of rows of r floats stays in L1. */
    private static final int TILE = 32;

    private CpuIndexing() {}

    static void gather(Tensor x, int outer, int n, int inner, Tensor index, int m, Tensor out) {
        requireSize(x, (long) outer * n * inner, "gather input");
        requireSize(index, (long) outer * m * inner, "gather index");
        requireSize(out, (long) outer * m * inner, "gather output");
        float[] xs = f32(x), os = f32(out);
        int[] is = i32(index);
        int xo = offset(x), io = offset(index), oo = offset(out);
        CpuParallel.forRange(outer, (long) m * inner, (o0, o1) -> {
            for (int o = o0; o < o1; o++)
                for (int j = 0; j < m; j++) {
                    int row = (o * m + j) * inner;
                    for (int i = 0; i < inner; i++)
                        os[oo + row + i] = xs[xo + (o * n + checkIndex(is[io + row + i], n, "gather")) * inner + i];
                }
        });
    }

    /** Parallel over outer only: positions with the same o may collide, different o never do. */
    static void scatterAdd(Tensor dOut, int outer, int n, int inner, Tensor index, int m, Tensor dx) {
        requireSize(dx, (long) outer * n * inner, "scatterAdd dx");
        requireSize(index, (long) outer * m * inner, "scatterAdd index");
        requireSize(dOut, (long) outer * m * inner, "scatterAdd dOut");
        float[] gs = f32(dOut), dxs = f32(dx);
        int[] is = i32(index);
        int go = offset(dOut), io = offset(index), dxo = offset(dx);
        CpuParallel.forRange(outer, (long) m * inner, (o0, o1) -> {
            for (int o = o0; o < o1; o++)
                for (int j = 0; j < m; j++) {
                    int row = (o * m + j) * inner;
                    for (int i = 0; i < inner; i++)
                        dxs[dxo + (o * n + checkIndex(is[io + row + i], n, "scatterAdd")) * inner + i] += gs[go + row + i];
                }
        });
    }

    static void embedding(Tensor weight, Tensor indices, int count, int dim, Tensor out) {
        int vocab = rowsOf(weight, dim);
        requireSize(indices, count, "embedding indices");
        requireSize(out, (long) count * dim, "embedding output");
        float[] ws = f32(weight), os = f32(out);
        int[] is = i32(indices);
        int wo = offset(weight), io = offset(indices), oo = offset(out);
        CpuParallel.forRange(count, dim, (c0, c1) -> {
            for (int c = c0; c < c1; c++)
                System.arraycopy(ws, wo + checkIndex(is[io + c], vocab, "embedding") * dim, os, oo + c * dim, dim);
        });
    }

    /** Parallel over columns of the weight, so that repeated indices never race. */
    static void embeddingBackward(Tensor dOut, Tensor indices, int count, int dim, Tensor dWeight) {
        int vocab = rowsOf(dWeight, dim);
        requireSize(indices, count, "embeddingBackward indices");
        requireSize(dOut, (long) count * dim, "embeddingBackward dOut");
        float[] gs = f32(dOut), dws = f32(dWeight);
        int[] is = i32(indices);
        int go = offset(dOut), io = offset(indices), dwo = offset(dWeight);
        for (int c = 0; c < count; c++) checkIndex(is[io + c], vocab, "embeddingBackward");
        CpuParallel.forRange(dim, count, (d0, d1) -> {
            for (int c = 0; c < count; c++) {
                int src = go + c * dim, dst = dwo + is[io + c] * dim;
                for (int d = d0; d < d1; d++) dws[dst + d] += gs[src + d];
            }
        });
    }

    static void copyBlock(Tensor src, int srcLen, int srcStart, Tensor dst, int dstLen, int dstStart,
                          int outer, int len, int inner, boolean accumulate) {
        if (len < 0 || srcStart < 0 || dstStart < 0 || srcStart + len > srcLen || dstStart + len > dstLen)
            throw new IllegalArgumentException("copyBlock: block [" + srcStart + ", +" + len + ") of " + srcLen
                    + " -> [" + dstStart + ", +" + len + ") of " + dstLen + " is out of range");
        requireSize(src, (long) outer * srcLen * inner, "copyBlock src");
        requireSize(dst, (long) outer * dstLen * inner, "copyBlock dst");
        float[] ss = f32(src), ds = f32(dst);
        int so = offset(src), dso = offset(dst), block = len * inner;
        CpuParallel.forRange(outer, block, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int s = so + (o * srcLen + srcStart) * inner, d = dso + (o * dstLen + dstStart) * inner;
                if (accumulate) for (int t = 0; t < block; t++) ds[d + t] += ss[s + t];
                else System.arraycopy(ss, s, ds, d, block);
            }
        });
    }

    /** src (p, m, q, n, r) → dst (p, n, q, m, r), in TILE×TILE tiles of the (m, n) plane. */
    static void transpose(Tensor src, int p, int m, int q, int n, int r, Tensor dst) {
        long size = (long) p * m * q * n * r;
        requireSize(src, size, "transpose src");
        requireSize(dst, size, "transpose dst");
        float[] ss = f32(src), ds = f32(dst);
        int so = offset(src), dso = offset(dst);
        int nTiles = (n + TILE - 1) / TILE;
        CpuParallel.forRange(p * q * nTiles, (long) TILE * m * r, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int pi = t / (q * nTiles), qi = t / nTiles % q, n0 = t % nTiles * TILE, n1 = Math.min(n, n0 + TILE);
                for (int m0 = 0; m0 < m; m0 += TILE) {
                    int m1 = Math.min(m, m0 + TILE);
                    for (int ni = n0; ni < n1; ni++)
                        for (int mi = m0; mi < m1; mi++) {
                            int s = so + (((pi * m + mi) * q + qi) * n + ni) * r, d = dso + (((pi * n + ni) * q + qi) * m + mi) * r;
                            if (r == 1) ds[d] = ss[s];          // the common matrix case: skip the call
                            else System.arraycopy(ss, s, ds, d, r);
                        }
                }
            }
        });
    }

    private static int rowsOf(Tensor table, int dim) {
        if (dim <= 0) throw new IllegalArgumentException("embedding dimension must be positive, got " + dim);
        return (int) (table.size() / dim);
    }

    private static int checkIndex(int i, int n, String op) {
        if (i < 0 || i >= n) throw new IllegalArgumentException(op + ": index " + i + " is outside [0, " + n + ")");
        return i;
    }
}
