package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused LSTM and GRU cells: forward values and the gradients of every input against float64
 * loops of torch's definitions (central differences), at awkward sizes, through each output alone
 * and through both.
 */
class RecurrentCellsTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";
    private static final int[] HIDDEN = {1, 7, 33}, BATCH = {1, 5};

    /** Which of the LSTM's outputs the checked value is made of. */
    private enum Use { H, C, BOTH }

    @ParameterizedTest @MethodSource(BACKENDS)
    void lstmCellMatchesTheDefinition(Backend backend) {
        Rand rand = Rand.fresh();
        for (int hidden : HIDDEN)
            for (int batch : BATCH)
                for (Use use : Use.values())
                    OpCheck.named("lstmCell batch " + batch + " hidden " + hidden + " through " + use)
                            .input(rand.normal(batch, 4 * hidden).map(v -> 2 * v)).input(rand.normal(batch, 4 * hidden))
                            .input(rand.normal(batch, hidden))
                            .run(backend, rand, t -> lstmOutputs(RecurrentCells.lstmCell(t.get(0), t.get(1), t.get(2)), use),
                                    d -> lstmReference(d.get(0), d.get(1), d.get(2), use));
    }

    /** Enough rows and units that the CPU splits the rows over its threads (where it has several). */
    @ParameterizedTest @MethodSource(BACKENDS)
    void manyRows(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 67, hidden = 80;   // forward and backward both above CpuParallel.MIN_PARALLEL_WORK
        OpCheck.named("lstmCell batch " + batch + " hidden " + hidden).gradientSamples(40)
                .input(rand.normal(batch, 4 * hidden).map(v -> 2 * v)).input(rand.normal(batch, 4 * hidden)).input(rand.normal(batch, hidden))
                .run(backend, rand, t -> lstmOutputs(RecurrentCells.lstmCell(t.get(0), t.get(1), t.get(2)), Use.BOTH),
                        d -> lstmReference(d.get(0), d.get(1), d.get(2), Use.BOTH));
        OpCheck.named("gruCell batch " + batch + " hidden " + hidden).gradientSamples(40)
                .input(rand.normal(batch, 3 * hidden).map(v -> 2 * v)).input(rand.normal(batch, 3 * hidden)).input(rand.normal(batch, hidden))
                .run(backend, rand, t -> RecurrentCells.gruCell(t.get(0), t.get(1), t.get(2)), d -> gruReference(d.get(0), d.get(1), d.get(2)));
    }

    /** gh null: gx holds the summed pre-activations. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void lstmCellFromSummedGates(Backend backend) {
        Rand rand = Rand.fresh();
        for (int hidden : HIDDEN)
            OpCheck.named("lstmCell summed, hidden " + hidden).input(rand.normal(5, 4 * hidden).map(v -> 3 * v)).input(rand.normal(5, hidden))
                    .run(backend, rand, t -> lstmOutputs(RecurrentCells.lstmCell(t.get(0), null, t.get(1)), Use.BOTH),
                            d -> lstmReference(d.get(0), null, d.get(1), Use.BOTH));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void gruCellMatchesTheDefinition(Backend backend) {
        Rand rand = Rand.fresh();
        for (int hidden : HIDDEN)
            for (int batch : BATCH)
                OpCheck.named("gruCell batch " + batch + " hidden " + hidden)
                        .input(rand.normal(batch, 3 * hidden).map(v -> 2 * v)).input(rand.normal(batch, 3 * hidden))
                        .input(rand.normal(batch, hidden))
                        .run(backend, rand, t -> RecurrentCells.gruCell(t.get(0), t.get(1), t.get(2)),
                                d -> gruReference(d.get(0), d.get(1), d.get(2)));
    }

    /** Only some inputs trained: the others get no gradient, and the trained ones are still right. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void partlyTrainedInputs(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("gruCell, only gh trained").constant(rand.normal(5, 21)).input(rand.normal(5, 21)).constant(rand.normal(5, 7))
                .run(backend, rand, t -> RecurrentCells.gruCell(t.get(0), t.get(1), t.get(2)), d -> gruReference(d.get(0), d.get(1), d.get(2)));
        OpCheck.named("lstmCell, only cPrev trained").constant(rand.normal(5, 28)).constant(rand.normal(5, 28)).input(rand.normal(5, 7))
                .run(backend, rand, t -> lstmOutputs(RecurrentCells.lstmCell(t.get(0), t.get(1), t.get(2)), Use.BOTH),
                        d -> lstmReference(d.get(0), d.get(1), d.get(2), Use.BOTH));
    }

    /** Without recording the forward saves nothing for a backward; the values are the same. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void forwardWithoutTheTape(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 5, hidden = 33;
        D lx = rand.normal(batch, 4 * hidden), lh = rand.normal(batch, 4 * hidden), c = rand.normal(batch, hidden);
        D gx = rand.normal(batch, 3 * hidden), gh = rand.normal(batch, 3 * hidden), h = rand.normal(batch, hidden);
        try (Scope s = Scope.open("test"); Tape.NoGrad ng = Tape.noGrad()) {
            assertClose(lstmReference(lx, lh, c, Use.BOTH), lstmOutputs(RecurrentCells.lstmCell(lx.toTensor(backend),
                    lh.toTensor(backend), c.toTensor(backend).requiresGrad(true)), Use.BOTH), "lstmCell" + rand.tag());
            assertClose(gruReference(gx, gh, h), RecurrentCells.gruCell(gx.toTensor(backend), gh.toTensor(backend),
                    h.toTensor(backend).requiresGrad(true)), "gruCell" + rand.tag());
        }
    }

    /**
     * The fused cells give what the layers computed before them, a dozen elementwise ops per step
     * (forward and the gradient of every input), to within a few float32 roundings.
     */
    @ParameterizedTest @MethodSource(BACKENDS)
    void fusedEqualsTheComposedOps(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 5, hidden = 33;
        List<D> lstm = List.of(rand.normal(batch, 4 * hidden).map(v -> 2 * v), rand.normal(batch, 4 * hidden), rand.normal(batch, hidden));
        assertSameWithGradients(backend, rand, "lstmCell", lstm,
                t -> lstmOutputs(RecurrentCells.lstmCell(t.get(0), t.get(1), t.get(2)), Use.BOTH), RecurrentCellsTest::composedLstm);
        List<D> gru = List.of(rand.normal(batch, 3 * hidden).map(v -> 2 * v), rand.normal(batch, 3 * hidden), rand.normal(batch, hidden));
        assertSameWithGradients(backend, rand, "gruCell", gru,
                t -> RecurrentCells.gruCell(t.get(0), t.get(1), t.get(2)), RecurrentCellsTest::composedGru);
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badArgumentsAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor g4 = backend.zeros(Shape.of(2, 12)), g3 = backend.zeros(Shape.of(2, 9)), state = backend.zeros(Shape.of(2, 3));
            assertMessage(() -> RecurrentCells.lstmCell(g3, null, state), "lstmCell", "gx must be (batch, 4·hidden) = [2, 12]", "[2, 9]");
            assertMessage(() -> RecurrentCells.lstmCell(g4, g3, state), "lstmCell", "gh must have gx's shape [2, 12]", "[2, 9]");
            assertMessage(() -> RecurrentCells.lstmCell(g4, null, backend.zeros(Shape.of(6))), "lstmCell", "cPrev must be (batch, hidden)");
            assertMessage(() -> RecurrentCells.gruCell(g3, null, state), "gruCell", "gh", "required");
            assertMessage(() -> RecurrentCells.gruCell(g3, g3, backend.zeros(Shape.of(3, 3))), "gruCell",
                    "gx must be (batch, 3·hidden) = [3, 9]", "[2, 9]");
        }
    }

    private static void assertSameWithGradients(Backend backend, Rand rand, String what, List<D> inputs,
                                                Function<List<Tensor>, Tensor> fused, Function<List<Tensor>, Tensor> composed) {
        try (Scope s = Scope.open("test")) {
            float[][] fusedResults = valueAndGradients(backend, inputs, fused, rand.seed());
            float[][] composedResults = valueAndGradients(backend, inputs, composed, rand.seed());
            for (int k = 0; k < fusedResults.length; k++)
                for (int i = 0; i < fusedResults[k].length; i++)
                    assertEquals(composedResults[k][i], fusedResults[k][i], 4e-6 * (1 + Math.abs(composedResults[k][i])),
                            what + (k == 0 ? " value" : " gradient of input " + (k - 1)) + ", element " + i + rand.tag());
        } finally {
            Tape.clear();
        }
    }

    /** The output, then the gradient of every input, of sum(op(inputs) · W) for W drawn from seed. */
    private static float[][] valueAndGradients(Backend backend, List<D> inputs, Function<List<Tensor>, Tensor> op, long seed) {
        List<Tensor> tensors = inputs.stream().map(d -> d.toTensor(backend).requiresGrad(true)).toList();
        Tensor out = op.apply(tensors);
        Tape.backward(out, Rand.seeded(seed).uniform(-1, 1, out.shape().dims()).toTensor(backend));
        float[][] results = new float[1 + tensors.size()][];
        results[0] = out.toFloatArray();
        for (int i = 0; i < tensors.size(); i++) results[i + 1] = tensors.get(i).grad().toFloatArray();
        return results;
    }

    /** What LSTM.cell did before the fused cell: h and c side by side. */
    private static Tensor composedLstm(List<Tensor> t) {
        int hidden = t.get(2).dim(1);
        List<Tensor> g = Shapes.split(Arith.add(t.get(0), t.get(1)), new int[] {hidden, hidden, hidden, hidden}, -1);
        Tensor i = Activations.sigmoid(g.get(0)), f = Activations.sigmoid(g.get(1));
        Tensor candidate = Activations.tanh(g.get(2)), o = Activations.sigmoid(g.get(3));
        Tensor c = Arith.add(Arith.mul(f, t.get(2)), Arith.mul(i, candidate));
        return Shapes.concat(List.of(Arith.mul(o, Activations.tanh(c)), c), 1);
    }

    /** What GRU.cell did before the fused cell. */
    private static Tensor composedGru(List<Tensor> t) {
        Tensor h = t.get(2);
        int hidden = h.dim(1);
        int[] sizes = {hidden, hidden, hidden};
        List<Tensor> x = Shapes.split(t.get(0), sizes, -1), hh = Shapes.split(t.get(1), sizes, -1);
        Tensor r = Activations.sigmoid(Arith.add(x.get(0), hh.get(0)));
        Tensor z = Activations.sigmoid(Arith.add(x.get(1), hh.get(1)));
        Tensor n = Activations.tanh(Arith.add(x.get(2), Arith.mul(r, hh.get(2))));
        return Arith.add(n, Arith.mul(z, Arith.sub(h, n)));
    }

    // ---- references (float64 loops of torch's definitions) ---------------------------------------

    private static Tensor lstmOutputs(RecurrentCells.LstmState s, Use use) {
        return switch (use) {
            case H -> s.h();
            case C -> s.c();
            case BOTH -> Shapes.concat(List.of(s.h(), s.c()), 1);
        };
    }

    /** h, c or both side by side (batch, 2·hidden). gh may be null. */
    private static D lstmReference(D gx, D gh, D cPrev, Use use) {
        int batch = cPrev.shape[0], hidden = cPrev.shape[1];
        D h = D.zeros(batch, hidden), c = D.zeros(batch, hidden);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(pre(gx, gh, b, 0, j)), f = sigmoid(pre(gx, gh, b, 1, j));
                double g = Math.tanh(pre(gx, gh, b, 2, j)), o = sigmoid(pre(gx, gh, b, 3, j));
                double cn = f * cPrev.data[b * hidden + j] + i * g;
                c.data[b * hidden + j] = cn;
                h.data[b * hidden + j] = o * Math.tanh(cn);
            }
        return switch (use) {
            case H -> h;
            case C -> c;
            case BOTH -> sideBySide(h, c);
        };
    }

    /** The pre-activation of gate k of unit j in row b: gx + gh (gh may be null). */
    private static double pre(D gx, D gh, int b, int k, int j) {
        int hidden = gx.shape[1] / 4, at = (b * 4 + k) * hidden + j;
        return gx.data[at] + (gh == null ? 0 : gh.data[at]);
    }

    private static D gruReference(D gx, D gh, D hPrev) {
        int batch = hPrev.shape[0], hidden = hPrev.shape[1];
        D h = D.zeros(batch, hidden);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < hidden; j++) {
                int x = b * 3 * hidden + j;
                double r = sigmoid(gx.data[x] + gh.data[x]), z = sigmoid(gx.data[x + hidden] + gh.data[x + hidden]);
                double n = Math.tanh(gx.data[x + 2 * hidden] + r * gh.data[x + 2 * hidden]);
                h.data[b * hidden + j] = (1 - z) * n + z * hPrev.data[b * hidden + j];
            }
        return h;
    }

    private static D sideBySide(D a, D b) {
        int rows = a.shape[0], n = a.shape[1];
        D out = D.zeros(rows, 2 * n);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a.data, r * n, out.data, r * 2 * n, n);
            System.arraycopy(b.data, r * n, out.data, r * 2 * n + n, n);
        }
        return out;
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    private static void assertClose(D want, Tensor got, String what) {
        float[] g = got.toFloatArray();
        assertEquals(want.size(), g.length, what);
        for (int i = 0; i < g.length; i++) assertEquals(want.data[i], g[i], 1e-6 * (1 + Math.abs(want.data[i])), what + ", element " + i);
    }
}
