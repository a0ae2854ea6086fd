package io.recur.random;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator behind every random tensor. kernels/philox.cuh implements the same
 * function, so a (seed, offset) pair gives the same stream on every backend.
 *
 * <p>Stream layout: element i of a tensor filled with (seed, offset) takes word i % 4 of the block
 * at counter (offset + i / 4), with the 64-bit counter in words 0-1 and the 64-bit seed as the key.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private static final float TWO_POW_MINUS_24 = 1.0f / (1 << 24);

    private Philox() {}

    /** One Philox4x32-10 block: four 32-bit words from a 128-bit counter and a 64-bit key. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int r = 0; r < 10; r++) {
            if (r > 0) { k0 += W0; k1 += W1; }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

    /** The four words of the block at the given 64-bit counter. */
    public static void block(long seed, long counter, int[] out) {
        block((int) counter, (int) (counter >>> 32), 0, 0, (int) seed, (int) (seed >>> 32), out);
    }

    /** A word mapped to [0, 1) with 24 bits of precision. */
    public static float uniform(int word) { return (word >>> 8) * TWO_POW_MINUS_24; }

    /** A word mapped to (0, 1], safe for a logarithm. */
    public static float uniformOpenZero(int word) { return ((word >>> 8) + 1) * TWO_POW_MINUS_24; }

    /** Fills out[from, to) with uniforms in [lo, hi), as element indices of the (seed, offset) stream. */
    public static void fillUniform(float[] out, int outOffset, long from, long to, long seed, long offset, float lo, float hi) {
        int[] w = new int[4];
        float range = hi - lo;
        long blockIdx = -1;
        for (long i = from; i < to; i++) {
            long b = i >>> 2;
            if (b != blockIdx) { block(seed, offset + b, w); blockIdx = b; }
            out[outOffset + (int) (i - from)] = lo + range * uniform(w[(int) (i & 3)]);
        }
    }

    /** Fills with normals: words (0,1) and (2,3) of a block each give a Box-Muller pair (cos, sin). */
    public static void fillNormal(float[] out, int outOffset, long from, long to, long seed, long offset, float mean, float std) {
        int[] w = new int[4];
        long blockIdx = -1;
        for (long i = from; i < to; i++) {
            long b = i >>> 2;
            if (b != blockIdx) { block(seed, offset + b, w); blockIdx = b; }
            int j = (int) (i & 3), pair = j & ~1;
            out[outOffset + (int) (i - from)] = mean + std * boxMuller(w[pair], w[pair + 1], (j & 1) == 1);
        }
    }

    /** One Box-Muller normal from two words, computed in float as the CUDA kernel does. */
    public static float boxMuller(int w1, int w2, boolean sine) {
        float r = (float) Math.sqrt(-2.0f * (float) Math.log(uniformOpenZero(w1)));
        float theta = 6.2831855f * uniform(w2);
        return r * (float) (sine ? Math.sin(theta) : Math.cos(theta));
    }
}
