package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.testing.Rand;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The three-phase scan at every chunk count (the backend picks one by the core count, so a
 * 2-core machine alone would try few), and the rule that picks it.
 */
class AssociativeScanTest {
    /** Prefix sums of longs: exact, so any mistake in the chunk bookkeeping shows as a wrong value. */
    private static final class PrefixSum implements AssociativeScan.Sequence<Long, Long> {
        final long[] in, out;

        PrefixSum(long[] in, long[] out) { this.in = in; this.out = out; }

        @Override public Long initial() { return 7L; }

        @Override
        public Long reduce(int from, int to) {
            long s = 0;
            for (int i = from; i < to; i++) s += in[i];
            return s;
        }

        @Override public Long advance(Long state, Long aggregate) { return state + aggregate; }

        @Override
        public void scan(Long state, int from, int to) {
            long s = state;
            for (int i = from; i < to; i++) out[i] = s += in[i];
        }
    }

    @Test
    void everyChunkCountGivesTheSequentialAnswer() {
        SplittableRandom random = new SplittableRandom(Rand.fresh().seed());
        for (int length : new int[] {1, 2, 17, 1000, 4097})
            for (int chunks : new int[] {1, 2, 3, 7, 64, 5000}) {
                int rows = 3;
                long[][] in = new long[rows][length], out = new long[rows][length], expected = new long[rows][length];
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < length; i++) {
                        in[r][i] = random.nextLong(-1000, 1000);
                        expected[r][i] = (i == 0 ? 7 : expected[r][i - 1]) + in[r][i];
                    }
                AssociativeScan.run(rows, length, chunks, r -> new PrefixSum(in[r], out[r]));
                for (int r = 0; r < rows; r++) assertArrayEquals(expected[r], out[r], "length " + length + ", " + chunks + " chunks, row " + r);
            }
    }

    /** The diagonal and dense recurrences, forward and gradient, chunked or not, agree to rounding. */
    @Test
    void recurrencesAreTheSameInChunks() {
        Rand rand = Rand.fresh();
        int rows = 2, length = 5000, n = 3;
        float[] a = floats(rand, rows * length, 0.99), b = floats(rand, rows * length, 1), h0 = floats(rand, rows, 1);
        float[] resets = new float[rows * length];
        for (int i = 0; i < resets.length; i++) resets[i] = rand.nextInt(50) == 0 ? 1 : 0;
        for (boolean reverse : new boolean[] {false, true}) {
            float[][] outs = new float[2][], das = new float[2][], dh0s = new float[2][];
            for (int k = 0; k < 2; k++) {
                float[] h = new float[rows * length], db = new float[rows * length], da = new float[rows * length], dh0 = new float[rows];
                var fwd = new DiagonalRecurrence.Arrays(a, 0, resets, 0, b, 0, h, 0, h0, 0, null, 0, null, 0, null, 0);
                AssociativeScan.run(rows, length, k == 0 ? 1 : 7, r -> DiagonalRecurrence.forward(fwd, r, length, reverse));
                var bwd = new DiagonalRecurrence.Arrays(a, 0, resets, 0, b, 0, db, 0, h0, 0, h, 0, da, 0, dh0, 0);
                AssociativeScan.run(rows, length, k == 0 ? 1 : 5, r -> DiagonalRecurrence.gradient(bwd, r, length, reverse));
                outs[k] = h;
                das[k] = da;
                dh0s[k] = dh0;
            }
            assertClose(outs[0], outs[1], "diagonal h" + (reverse ? " reverse" : ""));
            assertClose(das[0], das[1], "diagonal da" + (reverse ? " reverse" : ""));
            assertClose(dh0s[0], dh0s[1], "diagonal dh0" + (reverse ? " reverse" : ""));

            float[] am = floats(rand, rows * length * n * n, 0.9 / n), bm = floats(rand, rows * length * n, 1);
            float[][] hm = new float[2][], dAm = new float[2][];
            for (int k = 0; k < 2; k++) {
                float[] h = new float[rows * length * n], lambda = new float[rows * length * n], dA = new float[am.length];
                var fwd = new MatrixRecurrence.Arrays(am, 0, bm, 0, h, 0, null, 0, null, 0, null, 0, null, 0);
                AssociativeScan.run(rows, length, k == 0 ? 1 : 6, r -> MatrixRecurrence.forward(fwd, r, length, n, reverse));
                var bwd = new MatrixRecurrence.Arrays(am, 0, bm, 0, lambda, 0, null, 0, h, 0, dA, 0, null, 0);
                AssociativeScan.run(rows, length, k == 0 ? 1 : 3, r -> MatrixRecurrence.gradient(bwd, r, length, n, reverse));
                hm[k] = h;
                dAm[k] = dA;
            }
            assertClose(hm[0], hm[1], "dense h" + (reverse ? " reverse" : ""));
            assertClose(dAm[0], dAm[1], "dense dA" + (reverse ? " reverse" : ""));
        }
    }

    @Test
    void chunksOnlyWhereCoresWouldIdleAndTheExtraPassPays() {
        assertEquals(1, AssociativeScan.chunksPerRow(64, 1_000_000, 0.7, 8), "rows occupy every core");
        assertEquals(1, AssociativeScan.chunksPerRow(1, 5000, 0.7, 8), "too short to split");
        assertEquals(8, AssociativeScan.chunksPerRow(1, 1_000_000, 0.7, 8), "one chunk per core");
        assertEquals(3, AssociativeScan.chunksPerRow(3, 1_000_000, 0.7, 8), "rows times chunks cover the cores");
        assertEquals(2, AssociativeScan.chunksPerRow(1, 1_000_000, 0.7, 2), "two cores still gain");
        assertEquals(1, AssociativeScan.chunksPerRow(1, 1_000_000, 32, 8), "a dense n=32 reduce costs more than it brings");
        assertEquals(8, AssociativeScan.chunksPerRow(1, 1_000_000, 2, 8), "a dense n=2 reduce pays on 8 cores");
    }

    private static float[] floats(Rand rand, int n, double bound) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) rand.uniform(-bound, bound);
        return f;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " element " + i);
    }
}
