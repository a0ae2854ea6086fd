package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;

import io.recur.backend.SelectiveScanArgs;
import io.recur.tensor.Tensor;

/**
 * The arrays of one selective scan call and where each (batch, channel) row finds its data: B and C
 * through a base and a time stride (0 when fixed), so that one loop serves fixed and
 * input-dependent projections.
 */
final class SelectiveScanData {
    /** A tensor's backing array and offset; null stands for an absent tensor. */
    record View(float[] a, int off) {
        static View of(Tensor t) { return t == null ? null : new View(f32(t), offset(t)); }

        float get(long i) { return a[(int) (off + i)]; }

        void set(long i, float v) { a[(int) (off + i)] = v; }

        void add(long i, float v) { a[(int) (off + i)] += v; }
    }

    final SelectiveScanArgs args;
    final int batch, dim, length, n, chunk, chunks;
    final View u, delta, a, b, c, d, z, deltaBias, h0;

    SelectiveScanData(SelectiveScanArgs args) {
        this.args = args;
        batch = args.batch();
        dim = args.dim();
        length = args.length();
        n = args.stateSize();
        chunk = Math.min(args.chunkLength(), length);
        chunks = args.chunks();
        u = View.of(args.u());
        delta = View.of(args.delta());
        a = View.of(args.a());
        b = View.of(args.b());
        c = View.of(args.c());
        d = View.of(args.d());
        z = View.of(args.z());
        deltaBias = View.of(args.deltaBias());
        h0 = View.of(args.h0());
    }

    /** Element of B for (row, state) at time 0; time t adds t * bStride(). */
    long bBase(int row, int state) {
        return projectionBase(args.variableB(), args.groupsB(), row, state);
    }

    long cBase(int row, int state) {
        return projectionBase(args.variableC(), args.groupsC(), row, state);
    }

    int bStride() { return args.variableB() ? 1 : 0; }

    int cStride() { return args.variableC() ? 1 : 0; }

    /** (batch, group) index of row's input-dependent B or C: the unit that several channels share. */
    int group(int row, int groups) { return (row / dim) * groups + (row % dim) / (dim / groups); }

    private long projectionBase(boolean variable, int groups, int row, int state) {
        int channel = row % dim;
        if (!variable) return (long) channel * n + state;
        return ((long) group(row, groups) * n + state) * length;
    }

    /** The delta a step uses: raw + bias, through softplus if asked. */
    float effectiveDelta(float raw) {
        return args.deltaSoftplus() ? softplus(raw) : raw;
    }

    float rawDelta(int row, long t) {
        float v = delta.get((long) row * length + t);
        return deltaBias == null ? v : v + deltaBias.get(row % dim);
    }

    static float softplus(float x) {
        return x > SelectiveScanArgs.SOFTPLUS_THRESHOLD ? x : (float) Math.log1p(Math.exp(x));
    }

    /** d softplus / dx (1 above the threshold, where softplus is the identity). */
    static float softplusGrad(float x) {
        return x > SelectiveScanArgs.SOFTPLUS_THRESHOLD ? 1f : sigmoid(x);
    }

    static float sigmoid(float x) { return (float) (1 / (1 + Math.exp(-x))); }

    static float silu(float x) { return x * sigmoid(x); }

    static float siluGrad(float x) {
        float s = sigmoid(x);
        return s * (1 + x * (1 - s));
    }
}
