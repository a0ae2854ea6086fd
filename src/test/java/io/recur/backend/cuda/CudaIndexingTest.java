package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaIndexingTest extends CudaTestBase {
    private static final int[][] GATHER = {{1, 1, 1, 1}, {3, 10, 5, 7}, {2, 1000, 1, 33}, {70, 4, 3, 9}};  // outer, n, inner, m

    @Test
    void gatherAndScatterAddAreAdjoint() {
        for (int[] s : GATHER) {
            int outer = s[0], n = s[1], inner = s[2], m = s[3];
            float[] x = uniform(outer * n * inner, -1, 1), dOut = uniform(outer * m * inner, -1, 1), dx0 = uniform(outer * n * inner, -1, 1);
            int[] index = ints(outer * m * inner, 0, n);  // repeats: scatter must add them up
            double[] out = new double[outer * m * inner];
            double[] dx = toDouble(dx0);
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < m; j++)
                    for (int i = 0; i < inner; i++) {
                        int at = (o * m + j) * inner + i, src = (o * n + index[at]) * inner + i;
                        out[at] = x[src];
                        dx[src] += dOut[at];
                    }
            Tensor ti = upload(index, outer, m, inner), to = poisoned(outer, m, inner), tdx = upload(dx0, outer, n, inner);
            cuda.gather(upload(x, outer, n, inner), outer, n, inner, ti, m, to);
            assertClose(out, to.toFloatArray(), 0, 0, "gather " + java.util.Arrays.toString(s));
            cuda.scatterAdd(upload(dOut, outer, m, inner), outer, n, inner, ti, m, tdx);
            assertClose(dx, tdx.toFloatArray(), 1e-5, 1e-5, "scatterAdd " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void embeddingLooksUpAndAccumulatesRows() {
        int[][] shapes = {{1, 1, 1}, {50, 300, 33}, {7, 2000, 64}};  // vocab, count, dim
        for (int[] s : shapes) {
            int vocab = s[0], count = s[1], dim = s[2];
            float[] w = uniform(vocab * dim, -1, 1), dOut = uniform(count * dim, -1, 1), dw0 = uniform(vocab * dim, -1, 1);
            int[] idx = ints(count, 0, vocab);
            double[] out = new double[count * dim], dw = toDouble(dw0);
            for (int c = 0; c < count; c++)
                for (int d = 0; d < dim; d++) {
                    out[c * dim + d] = w[idx[c] * dim + d];
                    dw[idx[c] * dim + d] += dOut[c * dim + d];
                }
            Tensor ti = upload(idx, count), to = poisoned(count, dim), tdw = upload(dw0, vocab, dim);
            cuda.embedding(upload(w, vocab, dim), ti, count, dim, to);
            assertClose(out, to.toFloatArray(), 0, 0, "embedding");
            cuda.embeddingBackward(upload(dOut, count, dim), ti, count, dim, tdw);
            assertClose(dw, tdw.toFloatArray(), 1e-5, 1e-4, "embedding backward");
        }
    }

    @Test
    void copyBlockAssignsAndAccumulates() {
        int outer = 3, srcLen = 10, dstLen = 7, inner = 5, len = 4, srcStart = 5, dstStart = 2;
        for (boolean acc : new boolean[] {false, true}) {
            float[] src = uniform(outer * srcLen * inner, -1, 1), dst0 = uniform(outer * dstLen * inner, -1, 1);
            double[] expected = toDouble(dst0);
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < len; j++)
                    for (int i = 0; i < inner; i++) {
                        int d = (o * dstLen + dstStart + j) * inner + i;
                        float v = src[(o * srcLen + srcStart + j) * inner + i];
                        expected[d] = acc ? expected[d] + v : v;
                    }
            Tensor dst = upload(dst0, outer, dstLen, inner);
            cuda.copyBlock(upload(src, outer, srcLen, inner), srcLen, srcStart, dst, dstLen, dstStart, outer, len, inner, acc);
            assertClose(expected, dst.toFloatArray(), 1e-6, 0, "copyBlock accumulate=" + acc);
        }
        long[] src = new long[2 * 6 * 3];
        for (int i = 0; i < src.length; i++) src[i] = rnd.nextLong();
        long[] expected = new long[2 * 2 * 3];
        for (int o = 0; o < 2; o++) for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++)
            expected[(o * 2 + j) * 3 + i] = src[(o * 6 + 4 + j) * 3 + i];
        Tensor dl = cuda.allocate(Shape.of(2, 2, 3), DType.I64);
        cuda.copyBlock(cuda.fromArray(src, Shape.of(2, 6, 3)), 6, 4, dl, 2, 0, 2, 2, 3, false);
        assertArrayEquals(expected, dl.toLongArray());
    }

    @Test
    void transposeSwapsAxesTiledOrNot() {
        int[][] shapes = {{1, 1, 1, 1, 1}, {2, 33, 3, 65, 1}, {1, 1000, 1, 7, 1}, {3, 5, 2, 4, 3}, {1, 64, 1, 64, 1}, {70000, 1, 1, 2, 1}};
        for (int[] s : shapes) {
            int p = s[0], m = s[1], q = s[2], n = s[3], r = s[4];
            float[] src = uniform(p * m * q * n * r, -1, 1);
            long[] srcL = new long[src.length];
            for (int i = 0; i < src.length; i++) srcL[i] = rnd.nextLong();
            float[] expected = new float[src.length];
            long[] expectedL = new long[src.length];
            for (int a = 0; a < p; a++) for (int b = 0; b < m; b++) for (int c = 0; c < q; c++) for (int d = 0; d < n; d++) for (int e = 0; e < r; e++) {
                int from = (((a * m + b) * q + c) * n + d) * r + e, to = (((a * n + d) * q + c) * m + b) * r + e;
                expected[to] = src[from];
                expectedL[to] = srcL[from];
            }
            Tensor dst = poisoned(p, n, q, m, r);
            cuda.transpose(upload(src, p, m, q, n, r), p, m, q, n, r, dst);
            assertArrayEquals(expected, dst.toFloatArray(), "transpose " + java.util.Arrays.toString(s));
            Tensor dstL = cuda.allocate(Shape.of(p, n, q, m, r), DType.I64);
            cuda.transpose(cuda.fromArray(srcL, Shape.of(p, m, q, n, r)), p, m, q, n, r, dstL);
            assertArrayEquals(expectedL, dstL.toLongArray(), "transpose int64 " + java.util.Arrays.toString(s));
        }
    }
}
