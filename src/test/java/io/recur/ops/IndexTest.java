package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.ShapeReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IndexTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    @ParameterizedTest @MethodSource(BACKENDS)
    void gatherAlongEveryAxisWithRepeatedIndices(Backend backend) {
        Rand rand = Rand.fresh();
        int[] xShape = {4, 5, 3};
        for (int axis : new int[] {0, 1, 2, -1, -3}) {
            int a = axis < 0 ? axis + 3 : axis;
            int[] indexShape = xShape.clone();
            indexShape[a] = 7; // more picks than entries: some must repeat
            int count = (int) Shape.of(indexShape).size();
            OpCheck.named("gather along " + axis).input(rand.uniform(-1, 1, xShape))
                    .indices(rand.ints(count, xShape[a]), indexShape)
                    .run(backend, rand, t -> Index.gather(t.get(0), axis, t.get(1)),
                            d -> ShapeReference.gather(d.get(0), axis, d.get(1)));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void gatherOfOneIndexFromALengthOneAxis(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("gather from length 1").input(rand.uniform(-1, 1, 3, 1))
                .indices(new int[] {0, 0, 0, 0, 0, 0}, 3, 2)
                .run(backend, rand, t -> Index.gather(t.get(0), 1, t.get(1)), d -> ShapeReference.gather(d.get(0), 1, d.get(1)));
        OpCheck.named("gather picking fewer").input(rand.uniform(-1, 1, 2, 9))
                .indices(new int[] {8, 2}, 2, 1)
                .run(backend, rand, t -> Index.gather(t.get(0), -1, t.get(1)), d -> ShapeReference.gather(d.get(0), -1, d.get(1)));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void embeddingOfATwoDimensionalIndexWithRepeats(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("embedding (2, 5) of (7, 3)").input(rand.uniform(-1, 1, 7, 3))
                .indices(new int[] {6, 0, 6, 3, 3, 3, 1, 0, 6, 2}, 2, 5)
                .run(backend, rand, t -> Index.embedding(t.get(0), t.get(1)), d -> ShapeReference.embedding(d.get(0), d.get(1)));
        OpCheck.named("embedding random (3, 4, 2) of (11, 5)").input(rand.uniform(-1, 1, 11, 5))
                .indices(rand.ints(24, 11), 3, 4, 2)
                .run(backend, rand, t -> Index.embedding(t.get(0), t.get(1)), d -> ShapeReference.embedding(d.get(0), d.get(1)));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void embeddingOfOneIndexAndOfADimOne(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("embedding of a scalar index").input(rand.uniform(-1, 1, 4, 6))
                .indices(new int[] {2})
                .run(backend, rand, t -> Index.embedding(t.get(0), t.get(1)), d -> ShapeReference.embedding(d.get(0), d.get(1)));
        OpCheck.named("embedding with dim 1").input(rand.uniform(-1, 1, 1, 1))
                .indices(new int[] {0, 0, 0}, 3)
                .run(backend, rand, t -> Index.embedding(t.get(0), t.get(1)), d -> ShapeReference.embedding(d.get(0), d.get(1)));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badIndicesAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(Shape.of(2, 3));
            Tensor tooBig = backend.fromArray(new int[] {0, 1, 3, 0, 0, 0}, Shape.of(2, 3));
            Tensor negative = backend.fromArray(new int[] {0, -1}, Shape.of(2));
            Tensor wrongShape = backend.fromArray(new int[] {0, 1, 0}, Shape.of(3, 1));
            assertMessage(() -> Index.gather(x, 1, tooBig), "gather", "index 3", "position 2", "axis 1");
            assertMessage(() -> Index.gather(x, 1, wrongShape), "gather", "[3, 1]", "[2, 3]");
            assertMessage(() -> Index.gather(x, 2, tooBig), "gather", "axis 2");
            assertMessage(() -> Index.gather(x, 0, x), "gather", "index", "I32");
            assertMessage(() -> Index.embedding(x, negative), "embedding", "index -1", "2 rows");
            assertMessage(() -> Index.embedding(x, tooBig), "embedding", "index 3");
            assertMessage(() -> Index.embedding(backend.zeros(Shape.of(6)), negative), "embedding", "(vocab, dim)");
        }
    }
}
