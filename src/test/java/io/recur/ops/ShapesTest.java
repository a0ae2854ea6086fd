package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.ShapeReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShapesTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    @ParameterizedTest @MethodSource(BACKENDS)
    void reshapeIsARecordedView(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("reshape").input(rand.uniform(-1, 1, 3, 5, 2))
                .run(backend, rand, t -> Shapes.reshape(t.get(0), 5, -1), d -> d.get(0).reshape(5, 6));
        OpCheck.named("reshape to scalar").input(rand.uniform(-1, 1, 1, 1))
                .run(backend, rand, t -> Shapes.reshape(t.get(0)), d -> d.get(0).reshape());
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void reshapeKeepsIndexTensorsIntact(Backend backend) {
        try (Scope s = Scope.open("test")) {
            int[] values = {4, -1, 7, 0, 2, 9};
            Tensor index = backend.fromArray(values, io.recur.tensor.Shape.of(2, 3));
            Tensor flat = Shapes.flatten(index);
            assertEquals(io.recur.tensor.Shape.of(6), flat.shape());
            org.junit.jupiter.api.Assertions.assertArrayEquals(values, Shapes.reshape(flat, 3, 1, 2).toIntArray());
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void flattenMergesAxes(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("flatten").input(rand.uniform(-1, 1, 2, 3, 5))
                .run(backend, rand, t -> Shapes.flatten(t.get(0)), d -> d.get(0).reshape(30));
        OpCheck.named("flatten(1, -1)").input(rand.uniform(-1, 1, 2, 3, 5, 1))
                .run(backend, rand, t -> Shapes.flatten(t.get(0), 1, -1), d -> d.get(0).reshape(2, 15));
        OpCheck.named("flatten(0, 1)").input(rand.uniform(-1, 1, 2, 3, 5))
                .run(backend, rand, t -> Shapes.flatten(t.get(0), 0, 1), d -> d.get(0).reshape(6, 5));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void transposeSwapsAnyTwoAxes(Backend backend) {
        Rand rand = Rand.fresh();
        int[][] cases = {{0, 1}, {1, 0}, {0, 3}, {1, 2}, {-1, -2}, {-1, 0}, {2, 3}};
        for (int[] c : cases) {
            OpCheck.named("transpose(" + c[0] + ", " + c[1] + ")").input(rand.uniform(-1, 1, 3, 1, 4, 5))
                    .run(backend, rand, t -> Shapes.transpose(t.get(0), c[0], c[1]), d -> ShapeReference.transpose(d.get(0), c[0], c[1]));
        }
        OpCheck.named("transpose of a matrix").input(rand.uniform(-1, 1, 7, 33))
                .run(backend, rand, t -> Shapes.transpose(t.get(0), 0, 1), d -> ShapeReference.transpose(d.get(0), 0, 1));
        OpCheck.named("transpose of a row").input(rand.uniform(-1, 1, 1, 9))
                .run(backend, rand, t -> Shapes.transpose(t.get(0), -1, -2), d -> ShapeReference.transpose(d.get(0), 0, 1));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void transposeOfAnAxisWithItselfIsTheInput(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(io.recur.tensor.Shape.of(2, 3));
            assertSame(x, Shapes.transpose(x, 1, -1));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void concatJoinsPiecesOfUnequalSize(Backend backend) {
        Rand rand = Rand.fresh();
        // axis 0, a middle axis, the last axis and a negative axis; pieces of length 1 and odd lengths
        int[][][] shapes = {
                {{1, 3, 2}, {4, 3, 2}, {2, 3, 2}},
                {{2, 5, 3}, {2, 1, 3}},
                {{2, 3, 1}, {2, 3, 7}, {2, 3, 2}},
        };
        int[] axes = {0, 1, -1};
        for (int k = 0; k < shapes.length; k++) {
            int axis = axes[k];
            OpCheck check = OpCheck.named("concat along " + axis);
            for (int[] s : shapes[k]) check.input(rand.uniform(-1, 1, s));
            check.run(backend, rand, t -> Shapes.concat(t, axis), d -> ShapeReference.concat(d, axis));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void concatOfManyPiecesAndOfOne(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck many = OpCheck.named("concat of 17 pieces");
        for (int i = 0; i < 17; i++) many.input(rand.uniform(-1, 1, 3, 1 + rand.nextInt(4)));
        many.run(backend, rand, t -> Shapes.concat(t, 1), d -> ShapeReference.concat(d, 1));
        OpCheck.named("concat of one piece").input(rand.uniform(-1, 1, 4, 3))
                .run(backend, rand, t -> Shapes.concat(t, -2), d -> ShapeReference.concat(d, -2));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void concatOfATensorWithItselfAddsBothGradients(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("concat(x, x)").input(rand.uniform(-1, 1, 2, 3))
                .run(backend, rand, t -> Shapes.concat(List.of(t.get(0), t.get(0)), 1),
                        d -> ShapeReference.concat(List.of(d.get(0), d.get(0)), 1));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void splitGivesEachPieceAsASlice(Backend backend) {
        Rand rand = Rand.fresh();
        int[] sizes = {1, 4, 0, 2};
        for (int axis : new int[] {0, 1, -1}) {
            int[] shape = {2, 2, 2};
            shape[axis < 0 ? axis + 3 : axis] = 7;
            for (int k = 0; k < sizes.length; k++) {
                int piece = k, start = java.util.Arrays.stream(sizes, 0, k).sum();
                OpCheck.named("split piece " + k + " along " + axis).input(rand.uniform(-1, 1, shape))
                        .run(backend, rand, t -> Shapes.split(t.get(0), sizes, axis).get(piece),
                                d -> ShapeReference.slice(d.get(0), axis, start, start + sizes[piece]));
            }
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void splitPiecesRejoinedInReverseCarryEveryGradient(Backend backend) {
        Rand rand = Rand.fresh();
        int[] sizes = {3, 1, 5, 2};
        OpCheck.named("concat(reverse(split))").input(rand.uniform(-1, 1, 3, 11, 2))
                .run(backend, rand, t -> Shapes.concat(reversed(Shapes.split(t.get(0), sizes, 1)), 1), d -> {
                    List<D> pieces = new ArrayList<>();
                    int start = 0;
                    for (int s : sizes) { pieces.add(ShapeReference.slice(d.get(0), 1, start, start + s)); start += s; }
                    return ShapeReference.concat(reversed(pieces), 1);
                });
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void sliceAtTheEndsAndInTheMiddleOfEveryAxis(Backend backend) {
        Rand rand = Rand.fresh();
        int[][] cases = { // axis, start, end
                {0, 0, 1}, {0, 4, 5}, {0, 1, 4}, {1, 0, 3}, {1, 2, 3}, {-1, 0, 1}, {-1, 6, 7}, {2, 2, 5}, {-3, 0, 5}};
        for (int[] c : cases) {
            OpCheck.named("slice(" + c[0] + ", " + c[1] + ", " + c[2] + ")").input(rand.uniform(-1, 1, 5, 3, 7))
                    .run(backend, rand, t -> Shapes.slice(t.get(0), c[0], c[1], c[2]), d -> ShapeReference.slice(d.get(0), c[0], c[1], c[2]));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void sliceOfAViewSlicesTheRightRows(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("slice of a slice").input(rand.uniform(-1, 1, 6, 4))
                .run(backend, rand, t -> Shapes.slice(Shapes.slice(t.get(0), 0, 2, 6), -1, 1, 3),
                        d -> ShapeReference.slice(ShapeReference.slice(d.get(0), 0, 2, 6), 1, 1, 3));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void errorsNameTheOpAndTheShapes(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(io.recur.tensor.Shape.of(2, 3));
            Tensor y = backend.zeros(io.recur.tensor.Shape.of(3, 3));
            assertMessage(() -> Shapes.transpose(x, 0, 2), "transpose", "axis 2", "[2, 3]");
            assertMessage(() -> Shapes.slice(x, -3, 0, 1), "slice", "axis -3");
            assertMessage(() -> Shapes.slice(x, 1, 2, 4), "slice", "[2, 4)", "length 3");
            assertMessage(() -> Shapes.concat(List.of(x, y), 1), "concat", "[3, 3]", "[2, 3]", "axis 1");
            assertMessage(() -> Shapes.concat(List.of(), 0), "concat", "no tensors");
            assertMessage(() -> Shapes.split(x, new int[] {1, 1}, 1), "split", "add up to 2", "length 3");
            assertMessage(() -> Shapes.reshape(x, 4, 2), "reshape", "[2, 3]");
            assertMessage(() -> Shapes.flatten(x, 1, 0), "flatten", "start axis 1");
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should mention '" + p + "'");
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }
}
