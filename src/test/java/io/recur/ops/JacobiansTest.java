package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.backend.BlockTerms;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Block Jacobians built in one pass: forward against float64 loops, gradients against finite differences. */
class JacobiansTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    /** Random terms on 1 × 1 and 2 × 2 grids, odd state sizes and matrix counts off every block size. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void randomTermsMatchTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        for (int n : new int[] {1, 3, 17, 32})
            for (int count = 1; count <= 4; count++) {
                int weightBlocks = 1 + rand.nextInt(4), batch = 1 + rand.nextInt(3), steps = 1 + 2 * rand.nextInt(4);
                BlockTerms terms = randomTerms(rand, 1 + rand.nextInt(2), count, weightBlocks);
                check(backend, rand, terms, n, weightBlocks, batch, steps);
            }
    }

    /** The LSTM's layout: a full 2 × 2 grid with gate blocks and diagonal blocks, and terms sharing a block. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void lstmLayoutMatchesTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        int id = BlockTerms.IDENTITY;
        BlockTerms lstm = new BlockTerms(2, new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1}, new int[] {0, 0, 0, 0, 1, 0, 0, 0, 1},
                new int[] {3, 0, 1, 2, id, 0, 1, 2, id});
        check(backend, rand, lstm, 5, 4, 3, 7);
    }

    /**
     * Launch shapes off the common path: thousands of tiny matrices (each CUDA thread loops over many)
     * and one matrix wider than a block's 512 columns.
     */
    @ParameterizedTest @MethodSource(BACKENDS)
    void manyMatricesAndWideMatrices(Backend backend) {
        Rand rand = Rand.fresh();
        int id = BlockTerms.IDENTITY;
        check(backend, rand, new BlockTerms(2, new int[] {0, 1, 1}, new int[] {1, 0, 1}, new int[] {0, id, 1}), 1, 2, 7, 701);
        check(backend, rand, BlockTerms.single(id, 2, 0), 3, 3, 3, 201);
        check(backend, rand, BlockTerms.single(1, id), 520, 2, 1, 1);
    }

    /** A single matrix: coefficients of rank 1. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void oneMatrixWithoutLeadingAxes(Backend backend) {
        Rand rand = Rand.fresh();
        BlockTerms terms = BlockTerms.single(1, BlockTerms.IDENTITY, 0);
        List<D> inputs = new ArrayList<>();
        for (int k = 0; k < terms.count(); k++) inputs.add(rand.normal(6));
        D weight = rand.normal(12, 6);
        OpCheck check = OpCheck.named("rowScaledBlocks, one matrix");
        for (D c : inputs) check.input(c);
        check.input(weight).run(backend, rand, t -> Jacobians.rowScaledBlocks(t.subList(0, 3), t.get(3), terms),
                d -> reference(d.subList(0, 3), d.get(3), terms));
    }

    @Test
    void badArgumentsAreNamed() {
        Backend cpu = io.recur.backend.Backends.cpu();
        try (Scope s = Scope.open("test")) {
            Tensor c = cpu.zeros(io.recur.tensor.Shape.of(2, 4)), weight = cpu.zeros(io.recur.tensor.Shape.of(8, 4));
            BlockTerms two = BlockTerms.single(0, 1);
            assertMessage(() -> Jacobians.rowScaledBlocks(List.of(c), weight, two), "one coefficient tensor per term", "got 1");
            assertMessage(() -> Jacobians.rowScaledBlocks(List.of(c, c), cpu.zeros(io.recur.tensor.Shape.of(7, 4)), two),
                    "weight must be (G·n, n)", "[7, 4]");
            assertMessage(() -> Jacobians.rowScaledBlocks(List.of(c, c), weight, BlockTerms.single(0, 2)),
                    "uses weight block 2", "has 2 blocks");
            assertMessage(() -> Jacobians.rowScaledBlocks(List.of(c, cpu.zeros(io.recur.tensor.Shape.of(3, 4))), weight, two),
                    "coefficient 1 has shape [3, 4]");
            assertMessage(() -> Jacobians.rowScaledBlocks(List.of(c, c), cpu.zeros(io.recur.tensor.Shape.of(6, 3)), two),
                    "coefficients must be (..., 3)");
        }
        assertMessage(() -> new BlockTerms(2, new int[] {0, 2}, new int[] {0, 0}, new int[] {0, 0}), "term 1 at block (2, 0)");
        assertMessage(() -> BlockTerms.single(new int[BlockTerms.MAX_TERMS + 1]), "between 1 and 16 terms");
    }

    @Test
    void termsSayWhereTheyGo() {
        BlockTerms t = new BlockTerms(2, new int[] {1, 0}, new int[] {0, 1}, new int[] {2, BlockTerms.IDENTITY});
        assertEquals(2, t.count());
        assertEquals(2, t.maxWeightBlock());
        assertEquals(BlockTerms.IDENTITY, BlockTerms.single(BlockTerms.IDENTITY).maxWeightBlock());
    }

    private static void check(Backend backend, Rand rand, BlockTerms terms, int n, int weightBlocks, int batch, int steps) {
        int count = terms.count();
        OpCheck check = OpCheck.named("rowScaledBlocks n=" + n + " (" + batch + ", " + steps + ") " + terms).gradientSamples(60);
        for (int k = 0; k < count; k++) check.input(rand.normal(batch, steps, n));
        check.input(rand.uniform(-1, 1, weightBlocks * n, n))
                .run(backend, rand, t -> Jacobians.rowScaledBlocks(t.subList(0, count), t.get(count), terms),
                        d -> reference(d.subList(0, count), d.get(count), terms));
    }

    private static BlockTerms randomTerms(Rand rand, int blocks, int count, int weightBlocks) {
        int[] rows = new int[count], cols = new int[count], weights = new int[count];
        for (int k = 0; k < count; k++) {
            rows[k] = rand.nextInt(blocks);
            cols[k] = rand.nextInt(blocks);
            weights[k] = rand.nextInt(weightBlocks + 1) - 1;   // IDENTITY now and then
        }
        return new BlockTerms(blocks, rows, cols, weights);
    }

    /** Plain loops in float64: every term added into its block, row i of W_g scaled by c_k[i]. */
    private static D reference(List<D> coefficients, D weight, BlockTerms terms) {
        int[] vector = coefficients.getFirst().shape;
        int n = vector[vector.length - 1], side = terms.blocks() * n, matrices = coefficients.getFirst().size() / n;
        int[] shape = java.util.Arrays.copyOf(vector, vector.length + 1);
        shape[shape.length - 2] = side;
        shape[shape.length - 1] = side;
        D out = D.zeros(shape);
        for (int m = 0; m < matrices; m++)
            for (int k = 0; k < terms.count(); k++)
                for (int i = 0; i < n; i++) {
                    double c = coefficients.get(k).data[m * n + i];
                    int row = terms.row(k) * n + i, g = terms.weightBlock(k);
                    for (int j = 0; j < n; j++) {
                        double w = g == BlockTerms.IDENTITY ? (i == j ? 1 : 0) : weight.data[(g * n + i) * n + j];
                        out.data[(m * side + row) * side + terms.col(k) * n + j] += c * w;
                    }
                }
        return out;
    }
}
