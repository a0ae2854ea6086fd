package io.recur.data;

import io.recur.random.Philox;

/**
 * A stream of random numbers that depends only on (seed, tag, id), so data are the same on every
 * machine and for every batch size: Philox4x32-10 keyed by the seed, with the 128-bit counter
 * (block number, tag, id low, id high). Tasks give each purpose its own tag (a split, a retry, a
 * shuffle) and each example its own id.
 */
public final class RandomStream {
    private final long seed;
    private final int tag;
    private final long id;
    private final int[] words = new int[4];
    private int block;
    private int next = 4;

    public RandomStream(long seed, int tag, long id) {
        this.seed = seed;
        this.tag = tag;
        this.id = id;
    }

    /** 32 uniformly random bits. */
    public int nextInt() {
        if (next == 4) {
            Philox.block(block++, tag, (int) id, (int) (id >>> 32), (int) seed, (int) (seed >>> 32), words);
            next = 0;
        }
        return words[next++];
    }

    /** Uniform in [0, bound), without modulo bias (words above the last whole multiple of bound are redrawn). */
    public int nextInt(int bound) {
        if (bound < 1) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long range = 1L << 32, limit = range - range % bound;
        long w;
        do { w = nextInt() & 0xFFFFFFFFL; } while (w >= limit);
        return (int) (w % bound);
    }

    /** Uniform in [lo, hi). */
    public int nextInt(int lo, int hi) { return lo + nextInt(hi - lo); }

    /** Uniform in [0, 1) with 24 bits, as Philox's float uniforms. */
    public float nextFloat() { return Philox.uniform(nextInt()); }

    /** Uniform in [0, 1) with 53 bits. */
    public double nextDouble() {
        long hi = (nextInt() & 0xFFFFFFFFL) >>> 6, lo = (nextInt() & 0xFFFFFFFFL) >>> 5;
        return ((hi << 27) | lo) * 0x1.0p-53;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
