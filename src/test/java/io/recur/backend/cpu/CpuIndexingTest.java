package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CpuIndexingTest extends CpuTestBase {
    /** (outer, n, inner, m): ones, odd, repeated indices (m > n), and a parallel-sized case. */
    private static final int[][] GATHER = {{1, 1, 1, 1}, {3, 5, 7, 4}, {2, 3, 1, 11}, {1, 9, 5, 9}, {64, 40, 33, 20}};

    @Test
    void gatherAndScatterAdd() {
        for (int[] s : GATHER) {
            int outer = s[0], n = s[1], inner = s[2], m = s[3];
            double[] x = rounded(normal(outer * n * inner)), g = rounded(normal(outer * m * inner));
            double[] dx0 = rounded(normal(outer * n * inner));
            int[] index = new int[outer * m * inner];
            for (int i = 0; i < index.length; i++) index[i] = rng.nextInt(n);
            double[] out = new double[index.length], dx = dx0.clone();
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < m; j++)
                    for (int i = 0; i < inner; i++) {
                        int pos = (o * m + j) * inner + i, src = (o * n + index[pos]) * inner + i;
                        out[pos] = x[src];
                        dx[src] += g[pos];
                    }
            Tensor outT = output(outer, m, inner), dxT = view(dx0, outer, n, inner);
            CPU.gather(view(x, outer, n, inner), outer, n, inner, intView(index, outer, m, inner), m, outT);
            assertClose(out, outT, 0, 0, "gather " + java.util.Arrays.toString(s));
            CPU.scatterAdd(view(g, outer, m, inner), outer, n, inner, intView(index, outer, m, inner), m, dxT);
            assertClose(dx, dxT, 1e-5, 1e-5, "scatterAdd " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void embeddingAndBackwardWithRepeatedIndices() {
        int[][] shapes = {{1, 1, 1}, {5, 3, 12}, {50, 17, 200}, {1000, 64, 600}};      // vocab, dim, count
        for (int[] s : shapes) {
            int vocab = s[0], dim = s[1], count = s[2];
            double[] w = rounded(normal(vocab * dim)), g = rounded(normal(count * dim)), dw0 = rounded(normal(vocab * dim));
            int[] idx = new int[count];
            for (int c = 0; c < count; c++) idx[c] = rng.nextInt(Math.min(vocab, 4));     // many repeats
            double[] out = new double[count * dim], dw = dw0.clone();
            for (int c = 0; c < count; c++)
                for (int d = 0; d < dim; d++) {
                    out[c * dim + d] = w[idx[c] * dim + d];
                    dw[idx[c] * dim + d] += g[c * dim + d];
                }
            Tensor outT = output(count, dim), dwT = view(dw0, vocab, dim);
            CPU.embedding(view(w, vocab, dim), intView(idx, count), count, dim, outT);
            assertClose(out, outT, 0, 0, "embedding " + java.util.Arrays.toString(s));
            CPU.embeddingBackward(view(g, count, dim), intView(idx, count), count, dim, dwT);
            assertClose(dw, dwT, 1e-5, 1e-4, "embeddingBackward " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void copyBlockAssignsAndAccumulates() {
        int[][] cases = {{1, 1, 0, 1, 0, 1, 1}, {3, 10, 2, 9, 4, 5, 6}, {2, 4, 0, 4, 0, 4, 1}, {40, 50, 10, 60, 5, 30, 30}};
        for (int[] s : cases) {
            int outer = s[0], srcLen = s[1], srcStart = s[2], dstLen = s[3], dstStart = s[4], len = s[5], inner = s[6];
            double[] src = rounded(normal(outer * srcLen * inner)), dst0 = rounded(normal(outer * dstLen * inner));
            for (boolean accumulate : new boolean[] {false, true}) {
                double[] expected = dst0.clone();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < len; j++)
                        for (int i = 0; i < inner; i++) {
                            int d = (o * dstLen + dstStart + j) * inner + i;
                            double v = src[(o * srcLen + srcStart + j) * inner + i];
                            expected[d] = accumulate ? expected[d] + v : v;
                        }
                Tensor dst = view(dst0, outer, dstLen, inner);
                CPU.copyBlock(view(src, outer, srcLen, inner), srcLen, srcStart, dst, dstLen, dstStart, outer, len, inner, accumulate);
                assertClose(expected, dst, 1e-6, 1e-6, "copyBlock " + java.util.Arrays.toString(s) + " accumulate=" + accumulate);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> CPU.copyBlock(output(2, 3), 3, 2, output(2, 3), 3, 0, 2, 2, 1, false));
    }

    @Test
    void transposeSwapsAxes() {
        int[][] cases = {{1, 1, 1, 1, 1}, {1, 33, 1, 65, 1}, {2, 3, 4, 5, 6}, {3, 7, 1, 1, 2}, {1, 300, 1, 257, 1}, {2, 40, 3, 50, 1}};
        for (int[] s : cases) {
            int p = s[0], m = s[1], q = s[2], n = s[3], r = s[4];
            double[] src = rounded(normal(p * m * q * n * r)), expected = new double[src.length];
            for (int a = 0; a < p; a++)
                for (int b = 0; b < m; b++)
                    for (int c = 0; c < q; c++)
                        for (int d = 0; d < n; d++)
                            for (int e = 0; e < r; e++)
                                expected[(((a * n + d) * q + c) * m + b) * r + e] = src[(((a * m + b) * q + c) * n + d) * r + e];
            Tensor dst = output(p, n, q, m, r);
            CPU.transpose(view(src, p, m, q, n, r), p, m, q, n, r, dst);
            assertClose(expected, dst, 0, 0, "transpose " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void indicesOutOfRangeAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> CPU.embedding(output(4, 2), intView(new int[] {1, 4}, 2), 2, 2, output(2, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> CPU.embeddingBackward(output(2, 2), intView(new int[] {-1, 0}, 2), 2, 2, output(4, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> CPU.gather(output(1, 3, 1), 1, 3, 1, intView(new int[] {3}, 1, 1, 1), 1, output(1, 1, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> CPU.gather(output(1, 3, 1), 1, 3, 1, output(1, 1, 1), 1, output(1, 1, 1)));
    }
}
