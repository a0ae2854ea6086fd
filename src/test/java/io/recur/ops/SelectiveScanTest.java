package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.GradCheck;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.SelectiveScanArgs;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.SelectiveScanReference;
import io.recur.testing.SelectiveScanReference.Case;
import io.recur.testing.SelectiveScanReference.Inputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The selective scan as a differentiable operation: every present input's gradient against central
 * differences of the float64 loop, over several chunks, with and without the last state as an
 * output; and the float64 backpropagation that the backend tests trust, against the same
 * differences.
 */
class SelectiveScanTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    /** Small sizes, chunks of 4 steps over 10 (three chunks), each input trained. */
    private static final Case[] CASES = {
        new Case(2, 2, 10, 3, 0, 0, true, true, true, true, true, false, 4),
        new Case(2, 4, 10, 2, 2, 1, true, false, true, false, false, false, 4),
        new Case(1, 2, 10, 3, 1, 2, false, true, false, true, true, true, 4),
        new Case(2, 2, 6, 2, 0, 1, true, true, true, true, true, true, 128),
    };

    @ParameterizedTest @MethodSource(BACKENDS)
    void gradientsReachEveryInput(Backend backend) {
        Rand rand = Rand.fresh();
        for (Case c : CASES) check(backend, rand, c);
    }

    private static void check(Backend backend, Rand rand, Case c) {
        D[] all = SelectiveScanReference.random(rand, c).all();
        List<Integer> present = new ArrayList<>();
        OpCheck check = OpCheck.named(c.toString()).tolerance(2e-4, 2e-3);
        for (int i = 0; i < all.length; i++)
            if (all[i] != null) {
                present.add(i);
                check.input(all[i]);
            }
        check.run(backend, rand, t -> {
            Tensor[] x = new Tensor[all.length];
            for (int j = 0; j < present.size(); j++) x[present.get(j)] = t.get(j);
            var args = new SelectiveScanArgs(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], c.softplus(), c.chunk());
            if (!c.last()) return SelectiveScan.selectiveScan(args);
            SelectiveScan.Result r = SelectiveScan.selectiveScanWithLastState(args);
            return Shapes.concat(List.of(Shapes.flatten(r.out()), Shapes.flatten(r.lastState())), 0);
        }, d -> {
            D[] x = new D[all.length];
            for (int j = 0; j < present.size(); j++) x[present.get(j)] = d.get(j);
            Inputs in = new Inputs(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], c.softplus());
            SelectiveScanReference.Outputs o = SelectiveScanReference.forward(in);
            if (!c.last()) return new D(o.out(), c.batch(), c.dim(), c.length());
            double[] both = new double[o.out().length + o.last().length];
            System.arraycopy(o.out(), 0, both, 0, o.out().length);
            System.arraycopy(o.last(), 0, both, o.out().length, o.last().length);
            return new D(both, both.length);
        });
    }

    /** The float64 backpropagation (used for the long sequences) equals differences of the float64 loop. */
    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        Rand rand = Rand.fresh();
        for (Case c : CASES) {
            Inputs in = SelectiveScanReference.random(rand, c);
            D dOut = rand.normal(c.batch(), c.dim(), c.length()), dLast = rand.normal(c.batch(), c.dim(), c.n());
            double[] dl = c.last() ? dLast.data : null;
            SelectiveScanReference.Grads grads = SelectiveScanReference.backward(in, dOut.data, dl);
            D[] all = in.all();
            for (int i = 0; i < all.length; i++) {
                if (all[i] == null) continue;
                final int which = i;
                double[] numeric = GradCheck.numericGradient(x -> {
                    SelectiveScanReference.Outputs o = SelectiveScanReference.forward(in.with(which, all[which].withData(x)));
                    double s = new D(o.out(), dOut.shape).dot(dOut);
                    if (dl != null) s += new D(o.last(), dLast.shape).dot(dLast);
                    return s;
                }, all[i].data, 1e-6, allIndices(all[i].size()));
                GradCheck.Comparison cmp = GradCheck.compare(toFloats(grads.get(i)), numeric, 1e-2);
                assertTrue(cmp.within(1e-5), c + " input " + i + ": " + cmp + rand.tag());
            }
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void withoutGradientsNothingIsRecorded(Backend backend) {
        Rand rand = Rand.fresh();
        Inputs in = SelectiveScanReference.random(rand, new Case(1, 2, 5, 2, 0, 0, false, false, false, false, false, false, 2));
        try (Scope s = Scope.open("no grad")) {
            Tensor out = SelectiveScan.selectiveScan(in.u().toTensor(backend), in.delta().toTensor(backend), in.a().toTensor(backend),
                    in.b().toTensor(backend), in.c().toTensor(backend), null, null, null, false, null);
            assertEquals(0, Tape.size());
            assertTrue(!out.requiresGrad());
            double[] expected = SelectiveScanReference.forward(in).out();
            GradCheck.Comparison cmp = GradCheck.compare(out.toFloatArray(), expected, 1e-2);
            assertTrue(cmp.within(2e-4), cmp + rand.tag());
        }
    }

    @Test
    void errorsNameTheShapes() {
        Backend cpu = Backends.cpu();
        try (Scope s = Scope.open("errors")) {
            Tensor u = cpu.zeros(Shape.of(2, 4, 8)), a = cpu.zeros(Shape.of(4, 3));
            var e = assertThrows(IllegalArgumentException.class, () -> SelectiveScan.selectiveScan(u, u, a, a,
                    cpu.zeros(Shape.of(3, 4)), null, null, null, false, null));
            assertTrue(e.getMessage().contains("selectiveScan: C fixed must be (dim, N) = [4, 3], got [3, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SelectiveScan.selectiveScan(u, u, a, a, a, null,
                    cpu.zeros(Shape.of(2, 4)), null, false, null));
            assertTrue(e.getMessage().contains("z must have u's shape [2, 4, 8], got [2, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SelectiveScan.selectiveScan(u, u, a,
                    cpu.zeros(Shape.of(2, 3, 3, 8)), a, null, null, null, false, null));
            assertTrue(e.getMessage().contains("with dim 4 divisible by G, got [2, 3, 3, 8]"), e.getMessage());
        }
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return all;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
