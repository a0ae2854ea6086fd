package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Tensor;

/**
 * Local (sliding-window) multi-query attention on the CPU (Backend#localAttention): query rows in
 * parallel over (batch, head, row block); each row sees at most window keys, so memory stays
 * O(window) per row. The backward first makes dq and D_t = dOut_t · out_t per query row, then dk
 * and dv per key row (in parallel over (batch, key)), summing over heads and the queries that see
 * the key; no two tasks write the same element, so no locks are needed.
 */
final class CpuLocalAttention {
    private static final int ROW_BLOCK = 16;

    private final float[] q, k, v;
    private final int qOff, kOff, vOff, batch, length, heads, dim, window;
    private final double scale;

    CpuLocalAttention(Tensor q, Tensor k, Tensor v, int batch, int length, int heads, int headDim, int window, float scale) {
        long rows = (long) batch * length;
        requireSize(q, rows * heads * headDim, "localAttention q");
        requireSize(k, rows * headDim, "localAttention k");
        requireSize(v, rows * headDim, "localAttention v");
        this.q = f32(q); this.k = f32(k); this.v = f32(v);
        this.qOff = offset(q); this.kOff = offset(k); this.vOff = offset(v);
        this.batch = batch; this.length = length; this.heads = heads; this.dim = headDim; this.window = window;
        this.scale = scale;
    }

    private int firstKey(int t) { return Math.max(0, t - window + 1); }

    private int qAt(int b, int t, int h) { return qOff + ((b * length + t) * heads + h) * dim; }

    private int kvAt(int b, int j) { return (b * length + j) * dim; }

    private double logit(int qi, int b, int j) {
        double s = 0;
        for (int d = 0, kj = kOff + kvAt(b, j); d < dim; d++) s += q[qi + d] * k[kj + d];
        return s * scale;
    }

    /** Runs body(b, h, t) for every query row, rows in blocks over the cores. */
    private void forEachRow(RowBody body) {
        int blocks = (length + ROW_BLOCK - 1) / ROW_BLOCK;
        long cost = (long) ROW_BLOCK * Math.min(window, length) * dim * 4L;
        CpuParallel.forRange(batch * heads * blocks, cost, (from, to) -> {
            double[] scratch = new double[Math.min(window, length)];
            for (int item = from; item < to; item++) {
                int blk = item % blocks, bh = item / blocks, b = bh / heads, h = bh % heads;
                for (int t = blk * ROW_BLOCK; t < Math.min(length, (blk + 1) * ROW_BLOCK); t++) body.run(b, h, t, scratch);
            }
        });
    }

    @FunctionalInterface
    private interface RowBody { void run(int b, int h, int t, double[] logits); }

    void forward(Tensor out, Tensor lse) {
        requireSize(out, (long) batch * length * heads * dim, "localAttention out");
        requireSize(lse, (long) batch * heads * length, "localAttention lse");
        float[] o = f32(out), l = f32(lse);
        int oOff = offset(out), lOff = offset(lse);
        forEachRow((b, h, t, s) -> {
            int qi = qAt(b, t, h), j0 = firstKey(t);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = j0; j <= t; j++) max = Math.max(max, s[j - j0] = logit(qi, b, j));
            double sum = 0;
            for (int j = j0; j <= t; j++) sum += s[j - j0] = Math.exp(s[j - j0] - max);
            int oi = oOff + (qi - qOff);
            for (int d = 0; d < dim; d++) {
                double acc = 0;
                for (int j = j0; j <= t; j++) acc += s[j - j0] * v[vOff + kvAt(b, j) + d];
                o[oi + d] = (float) (acc / sum);
            }
            l[lOff + (b * heads + h) * length + t] = (float) (max + Math.log(sum));
        });
    }

    void backward(Tensor out, Tensor lse, Tensor dOut, Tensor dq, Tensor dk, Tensor dv) {
        long qSize = (long) batch * length * heads * dim, kvSize = (long) batch * length * dim;
        requireSize(out, qSize, "localAttentionBackward out");
        requireSize(dOut, qSize, "localAttentionBackward dOut");
        requireSize(dq, qSize, "localAttentionBackward dq");
        requireSize(dk, kvSize, "localAttentionBackward dk");
        requireSize(dv, kvSize, "localAttentionBackward dv");
        requireSize(lse, (long) batch * heads * length, "localAttentionBackward lse");
        float[] o = f32(out), l = f32(lse), g = f32(dOut), gq = f32(dq), gk = f32(dk), gv = f32(dv);
        int oOff = offset(out), lOff = offset(lse), gOff = offset(dOut), gqOff = offset(dq), gkOff = offset(dk), gvOff = offset(dv);
        double[] delta = new double[batch * heads * length];   // D_t per (b, h, t)
        forEachRow((b, h, t, ignored) -> {
            int qi = qAt(b, t, h), rel = qi - qOff, j0 = firstKey(t), row = (b * heads + h) * length + t;
            double dt = 0;
            for (int d = 0; d < dim; d++) dt += (double) g[gOff + rel + d] * o[oOff + rel + d];
            delta[row] = dt;
            double lseT = l[lOff + row];
            double[] acc = new double[dim];
            for (int j = j0; j <= t; j++) {
                double p = Math.exp(logit(qi, b, j) - lseT), dp = 0;
                for (int d = 0; d < dim; d++) dp += (double) g[gOff + rel + d] * v[vOff + kvAt(b, j) + d];
                double ds = p * (dp - dt) * scale;
                for (int d = 0; d < dim; d++) acc[d] += ds * k[kOff + kvAt(b, j) + d];
            }
            for (int d = 0; d < dim; d++) gq[gqOff + rel + d] = (float) acc[d];
        });
        long cost = (long) heads * Math.min(window, length) * dim * 4L;
        CpuParallel.forRange(batch * length, cost, (from, to) -> {
            double[] ak = new double[dim], av = new double[dim];
            for (int item = from; item < to; item++) {
                int b = item / length, j = item % length;
                java.util.Arrays.fill(ak, 0);
                java.util.Arrays.fill(av, 0);
                for (int h = 0; h < heads; h++)
                    for (int t = j; t < Math.min(length, j + window); t++) {
                        int qi = qAt(b, t, h), rel = qi - qOff, row = (b * heads + h) * length + t;
                        double p = Math.exp(logit(qi, b, j) - l[lOff + row]), dp = 0;
                        for (int d = 0; d < dim; d++) {
                            dp += (double) g[gOff + rel + d] * v[vOff + kvAt(b, j) + d];
                            av[d] += p * g[gOff + rel + d];
                        }
                        double ds = p * (dp - delta[row]) * scale;
                        for (int d = 0; d < dim; d++) ak[d] += ds * q[qi + d];
                    }
                for (int d = 0; d < dim; d++) {
                    gk[gkOff + kvAt(b, j) + d] = (float) ak[d];
                    gv[gvOff + kvAt(b, j) + d] = (float) av[d];
                }
            }
        });
    }
}
