package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.ShapeReference;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gather, scatterAdd, embedding, copyBlock and transpose on every backend against index-by-index references. */
class BackendIndexingTest {

    /** (outer, n, inner, m): ones, odd, repeated indices (m > n), a long axis, many outer blocks. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void gatherAndScatterAddWithRepeatedIndices(Backend backend) {
        int[][] cases = {{1, 1, 1, 1}, {3, 5, 7, 4}, {2, 3, 1, 11}, {1, 9, 5, 9}, {3, 10, 5, 7}, {2, 1000, 1, 33}, {70, 4, 3, 9}, {64, 40, 33, 20}};
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : cases) {
                int outer = s[0], n = s[1], inner = s[2], m = s[3];
                D x = f.rand.normal(outer, n, inner), g = f.rand.normal(outer, m, inner), dx0 = f.rand.normal(outer, n, inner);
                D index = f.indices(n, outer, m, inner);
                Tensor out = f.output(outer, m, inner), dx = f.view(dx0), it = f.intView(index);
                backend.gather(f.view(x), outer, n, inner, it, m, out);
                f.assertClose(ShapeReference.gather(x, 1, index), out, 0, 0, "gather " + Arrays.toString(s));
                backend.scatterAdd(f.view(g), outer, n, inner, it, m, dx);
                f.assertClose(ShapeReference.scatterAdd(dx0, 1, index, g), dx, 1e-5, 1e-5, "scatterAdd " + Arrays.toString(s));
            }
        }
    }

    /** (vocab, dim, count); indices drawn from the first 4 rows, so most repeat. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void embeddingAndBackwardWithRepeatedIndices(Backend backend) {
        int[][] cases = {{1, 1, 1}, {5, 3, 12}, {50, 17, 200}, {50, 33, 300}, {7, 64, 2000}, {1000, 64, 600}};
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : cases) {
                int vocab = s[0], dim = s[1], count = s[2];
                D w = f.rand.normal(vocab, dim), g = f.rand.normal(count, dim), dw0 = f.rand.normal(vocab, dim);
                D idx = f.indices(Math.min(vocab, 4), count);
                Tensor out = f.output(count, dim), dw = f.view(dw0), it = f.intView(idx);
                backend.embedding(f.view(w), it, count, dim, out);
                f.assertClose(ShapeReference.embedding(w, idx), out, 0, 0, "embedding " + Arrays.toString(s));
                backend.embeddingBackward(f.view(g), it, count, dim, dw);
                f.assertClose(ShapeReference.embeddingBackward(dw0, idx, g), dw, 1e-5, 1e-4, "embeddingBackward " + Arrays.toString(s));
            }
        }
    }

    /** (outer, srcLen, srcStart, dstLen, dstStart, len, inner). */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void copyBlockAssignsAndAccumulates(Backend backend) {
        int[][] cases = {{1, 1, 0, 1, 0, 1, 1}, {3, 10, 2, 9, 4, 5, 6}, {3, 10, 5, 7, 2, 4, 5}, {2, 4, 0, 4, 0, 4, 1}, {40, 50, 10, 60, 5, 30, 30}};
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : cases)
                for (boolean accumulate : new boolean[] {false, true}) {
                    int outer = s[0], srcLen = s[1], srcStart = s[2], dstLen = s[3], dstStart = s[4], len = s[5], inner = s[6];
                    D src = f.rand.normal(outer, srcLen, inner), dst0 = f.rand.normal(outer, dstLen, inner);
                    Tensor dst = f.view(dst0);
                    backend.copyBlock(f.view(src), srcLen, srcStart, dst, dstLen, dstStart, outer, len, inner, accumulate);
                    f.assertClose(ShapeReference.copyBlock(src, srcStart, dst0, dstStart, len, accumulate), dst, 1e-6, 1e-6,
                            "copyBlock " + Arrays.toString(s) + " accumulate=" + accumulate);
                }
        }
    }

    /** (p, m, q, n, r): ones, odd edges around the 32-wide tile, rows of several floats, a long leading axis. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void transposeSwapsAxes(Backend backend) {
        int[][] cases = {{1, 1, 1, 1, 1}, {1, 33, 1, 65, 1}, {2, 33, 3, 65, 1}, {2, 3, 4, 5, 6}, {3, 7, 1, 1, 2}, {3, 5, 2, 4, 3},
                {1, 64, 1, 64, 1}, {1, 1000, 1, 7, 1}, {1, 300, 1, 257, 1}, {2, 40, 3, 50, 1}, {70_000, 1, 1, 2, 1}};
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : cases) {
                int p = s[0], m = s[1], q = s[2], n = s[3], r = s[4];
                D src = f.rand.normal(p, m, q, n, r);
                Tensor dst = f.output(p, n, q, m, r);
                backend.transpose(f.view(src), p, m, q, n, r, dst);
                f.assertClose(ShapeReference.transpose(src, 1, 3), dst, 0, 0, "transpose " + Arrays.toString(s));
            }
        }
    }
}
