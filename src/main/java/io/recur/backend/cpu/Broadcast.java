package io.recur.backend.cpu;

import io.recur.tensor.Shape;
import java.util.Arrays;

/**
 * Walks a contiguous iteration shape while reading one or two operands at numpy-broadcast positions
 * (ranks aligned at the right, size-1 dimensions repeated, i.e. stride 0). Dimensions are coalesced
 * first, so that e.g. (4, 5, 6) + (6) becomes (20, 6) + (0, 1) and the inner runs stay long. Every
 * broadcasting kernel (binary, its backward, sumTo, broadcastTo) is one loop over these runs.
 */
final class Broadcast {
    /** One stretch of len consecutive iteration positions starting at pos; operand j sits at offJ + t * strideJ. */
    @FunctionalInterface
    interface Run { void run(int pos, int len, int offA, int strideA, int offB, int strideB); }

    private final int[] dims;
    private final int[] stridesA, stridesB;
    private final int size;

    private Broadcast(int[] dims, int[] stridesA, int[] stridesB, int size) {
        this.dims = dims; this.stridesA = stridesA; this.stridesB = stridesB; this.size = size;
    }

    /** Iteration over shape `iter`; operand b may be null. Fails if an operand does not broadcast to iter. */
    static Broadcast of(Shape iter, Shape a, Shape b) {
        int[] it = iter.dims();
        int[] sa = strides(it, a, iter);
        int[] sb = b == null ? new int[it.length] : strides(it, b, iter);
        // Drop size-1 dimensions, then merge neighbours that are contiguous for every operand.
        int[] d = new int[it.length], xa = new int[it.length], xb = new int[it.length];
        int r = 0;
        for (int i = 0; i < it.length; i++) {
            if (it[i] == 1) continue;
            if (r > 0 && xa[r - 1] == sa[i] * it[i] && xb[r - 1] == sb[i] * it[i]) {
                d[r - 1] *= it[i]; xa[r - 1] = sa[i]; xb[r - 1] = sb[i];
            } else {
                d[r] = it[i]; xa[r] = sa[i]; xb[r] = sb[i]; r++;
            }
        }
        if (r == 0) return new Broadcast(new int[] {1}, new int[1], new int[1], iter.intSize());
        return new Broadcast(Arrays.copyOf(d, r), Arrays.copyOf(xa, r), Arrays.copyOf(xb, r), iter.intSize());
    }

    /** Row-major strides of operand s aligned at the right of iter, 0 where s repeats. */
    private static int[] strides(int[] it, Shape s, Shape iter) {
        int[] sd = s.dims();
        int[] st = new int[it.length];
        for (int i = 0; i < sd.length - it.length; i++)
            if (sd[i] != 1) throw mismatch(s, iter);
        int stride = 1;
        for (int i = it.length - 1; i >= 0; i--) {
            int j = i - (it.length - sd.length);
            int dim = j >= 0 ? sd[j] : 1;
            if (dim == it[i]) st[i] = dim == 1 ? 0 : stride;
            else if (dim == 1) st[i] = 0;
            else throw mismatch(s, iter);
            stride *= dim;
        }
        return st;
    }

    private static IllegalArgumentException mismatch(Shape s, Shape iter) {
        return new IllegalArgumentException("shape " + s + " does not broadcast to " + iter);
    }

    int size() { return size; }

    /** Calls run for the stretches covering iteration positions [from, to). */
    void forEachRun(int from, int to, Run run) {
        if (from >= to) return;
        int last = dims.length - 1;
        int[] idx = new int[dims.length];
        int offA = 0, offB = 0;
        int rest = from;
        for (int i = last; i >= 0; i--) {
            idx[i] = rest % dims[i];
            rest /= dims[i];
            offA += idx[i] * stridesA[i];
            offB += idx[i] * stridesB[i];
        }
        int inner = dims[last], sa = stridesA[last], sb = stridesB[last];
        int pos = from;
        while (pos < to) {
            int len = Math.min(inner - idx[last], to - pos);
            run.run(pos, len, offA, sa, offB, sb);
            pos += len;
            idx[last] += len;
            offA += len * sa;
            offB += len * sb;
            for (int i = last; i > 0 && idx[i] == dims[i]; i--) {   // carry into the outer dimensions
                offA += stridesA[i - 1] - dims[i] * stridesA[i];
                offB += stridesB[i - 1] - dims[i] * stridesB[i];
                idx[i] = 0;
                idx[i - 1]++;
            }
        }
    }

    /** forEachRun over the whole iteration shape, split over the cores when large. */
    void forEachRunParallel(long costPerElement, Run run) {
        CpuParallel.forRange(size, costPerElement, (from, to) -> forEachRun(from, to, run));
    }
}
