package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArithTest {
    /** Operand shape pairs: equal, size 1, odd sizes, rank differences, leading/trailing 1s, scalars. */
    private static final int[][][] SHAPES = {
            {{1}, {1}}, {{7}, {7}}, {{33, 7}, {7}}, {{2, 1, 5}, {3, 1}}, {{1, 7}, {7, 1}},
            {{4, 1, 3}, {1}}, {{130}, {1, 130}}, {{1}, {}}, {{}, {}}, {{3, 1, 1}, {1, 5, 2}}, {{0, 3}, {3}}, {{2, 1}, {2, 0}}};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void add(Backend backend) { checkBinary(backend, "add", Arith::add, Double::sum, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sub(Backend backend) { checkBinary(backend, "sub", Arith::sub, (x, y) -> x - y, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void mul(Backend backend) { checkBinary(backend, "mul", Arith::mul, (x, y) -> x * y, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void div(Backend backend) { checkBinary(backend, "div", Arith::div, (x, y) -> x / y, true); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void maximum(Backend backend) { checkBinary(backend, "maximum", Arith::maximum, Math::max, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void minimum(Backend backend) { checkBinary(backend, "minimum", Arith::minimum, Math::min, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void maximumTiesSendTheGradientToA(Backend backend) {
        Rand rand = Rand.fresh();
        D a = rand.uniform(-1, 1, 9);
        try (Scope s = Scope.open("ties")) {
            Tensor ta = a.toTensor(backend).requiresGrad(true), tb = a.toTensor(backend).requiresGrad(true);
            io.recur.autograd.Tape.backward(Reduce.sum(Arith.maximum(ta, tb)));
            assertTrue(java.util.Arrays.equals(ta.grad().toFloatArray(), backend.full(Shape.of(9), 1f).toFloatArray()), "a gets all" + rand.tag());
            assertTrue(java.util.Arrays.equals(tb.grad().toFloatArray(), new float[9]), "b gets nothing" + rand.tag());
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void neg(Backend backend) { checkUnary(backend, "neg", Arith::neg, v -> -v, -2, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void addScalar(Backend backend) { checkUnary(backend, "addScalar", x -> Arith.addScalar(x, 1.75f), v -> v + 1.75, -2, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void mulScalar(Backend backend) { checkUnary(backend, "mulScalar", x -> Arith.mulScalar(x, -2.5f), v -> v * -2.5, -2, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void powFractional(Backend backend) { checkUnary(backend, "pow 2.5", x -> Arith.pow(x, 2.5f), v -> Math.pow(v, 2.5), 0.3, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void powIntegerOfNegatives(Backend backend) { checkUnary(backend, "pow 3", x -> Arith.pow(x, 3f), v -> v * v * v, -2, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void powNegative(Backend backend) { checkUnary(backend, "pow -1.5", x -> Arith.pow(x, -1.5f), v -> Math.pow(v, -1.5), 0.5, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void powZero(Backend backend) { checkUnary(backend, "pow 0", x -> Arith.pow(x, 0f), v -> 1, -2, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void rsub(Backend backend) { checkUnary(backend, "rsub", x -> Arith.rsub(0.5f, x), v -> 0.5 - v, -2, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void rdiv(Backend backend) { checkUnary(backend, "rdiv", x -> Arith.rdiv(3f, x), v -> 3 / v, 0.4, 2); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void shapesThatDoNotBroadcastAreRefusedByName(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor a = backend.zeros(Shape.of(2, 3)), b = backend.zeros(Shape.of(4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Arith.mul(a, b));
            assertTrue(e.getMessage().contains("mul") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void integerOperandsAreRefused(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor a = backend.zeros(Shape.of(3)), b = backend.fromArray(new int[] {1, 2, 3}, Shape.of(3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Arith.add(a, b));
            assertTrue(e.getMessage().contains("add") && e.getMessage().contains("I32"), e.getMessage());
        }
    }

    private static void checkBinary(Backend backend, String name, BinaryOperator<Tensor> op, DoubleBinaryOperator ref, boolean divisor) {
        for (int[][] shapes : SHAPES) {
            Rand rand = Rand.fresh();
            D a = rand.uniform(-2, 2, shapes[0]);
            // A divisor stays away from 0 so that the float64 differences are well conditioned.
            D b = divisor ? rand.uniform(0.5, 2, shapes[1]).map(v -> rand.nextInt(2) == 0 ? v : -v) : rand.uniform(-2, 2, shapes[1]);
            OpCheck.named(name).input(a).input(b)
                    .run(backend, rand, t -> op.apply(t.get(0), t.get(1)), d -> d.get(0).zip(d.get(1), ref));
        }
    }

    /** Also a large input, where gradients are sampled. */
    private static void checkUnary(Backend backend, String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double lo, double hi) {
        for (int[] shape : new int[][] {{1}, {}, {7, 33}, {2, 1, 130}, {257, 129}}) {
            Rand rand = Rand.fresh();
            OpCheck.named(name).input(rand.uniform(lo, hi, shape)).gradientSamples(100)
                    .run(backend, rand, t -> op.apply(t.get(0)), (List<D> d) -> d.get(0).map(ref));
        }
    }
}
