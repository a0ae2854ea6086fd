package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.BlockTerms;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jacobians of recurrent cells, built in one pass ({@link Backend#rowScaledBlocks}). A torch-style
 * cell's ∂f/∂h is a sum of terms diag(c_k) W_k, W_k a gate's block of the recurrent weight, plus
 * diagonal terms diag(c_k); composing it from tensor ops reads and writes the whole (batch, T, n, n)
 * result once per term, which dominates a Newton iteration of DEER. Differentiable in the
 * coefficients and the weight.
 */
public final class Jacobians {
    private Jacobians() {}

    /**
     * The matrices made of terms.blocks() × terms.blocks() blocks of n × n, block (a, b) holding the sum
     * over the terms k placed there (in order) of diag(coefficients_k) W_k, where W_k is rows
     * [g·n, (g+1)·n) of weight for g = terms.weightBlock(k), or the identity for
     * {@link BlockTerms#IDENTITY}. Blocks without terms are zero.
     *
     * @param coefficients one per term, each (..., n), all of one shape
     * @param weight       (G·n, n): G blocks of n × n stacked by rows (a cell's weight_hh)
     * @return (..., terms.blocks()·n, terms.blocks()·n)
     */
    public static Tensor rowScaledBlocks(List<Tensor> coefficients, Tensor weight, BlockTerms terms) {
        String op = "rowScaledBlocks";
        check(op, coefficients, weight, terms);
        int n = weight.dim(1), count = terms.count(), side = terms.blocks() * n;
        Shape vector = coefficients.getFirst().shape();
        int[] outDims = Arrays.copyOf(vector.dims(), vector.rank() + 1);
        outDims[outDims.length - 2] = side;
        outDims[outDims.length - 1] = side;
        int matrices = Math.toIntExact(vector.size() / n);
        Backend be = weight.backend();
        try (Scope temporaries = Scope.open(op)) {
            Tensor stacked = stack(coefficients, matrices, n);   // (matrices, count, n)
            Tensor out = Outputs.f32(be, Shape.of(outDims));
            be.rowScaledBlocks(stacked, weight, terms, matrices, n, out);
            Tensor recorded = Tape.record(op, out, (ctx, g) -> {
                Tensor byMatrix = Shapes.reshape(g, matrices, side, side);
                return new Tensor[] {
                    ctx.needsGrad(0) ? coefficientGradient(ctx.saved(0), ctx.saved(1), terms, byMatrix, n) : null,
                    ctx.needsGrad(1) ? weightGradient(ctx.saved(0), ctx.saved(1), terms, byMatrix, n) : null};
            }, new Tensor[] {stacked, weight}, stacked, weight);
            return temporaries.keep(recorded);
        }
    }

    /** The coefficients as one (matrices, count, n) tensor (differentiable). */
    private static Tensor stack(List<Tensor> coefficients, int matrices, int n) {
        List<Tensor> rows = new ArrayList<>(coefficients.size());
        for (Tensor c : coefficients) rows.add(Shapes.reshape(c, matrices, 1, n));
        return rows.size() == 1 ? rows.getFirst() : Shapes.concat(rows, 1);
    }

    /** Block (a, b) of every matrix of g (matrices, side, side): (matrices, n, n). */
    private static Tensor block(Tensor g, int a, int b, int n) {
        return Shapes.slice(Shapes.slice(g, 1, a * n, (a + 1) * n), 2, b * n, (b + 1) * n);
    }

    /** Weight block w of weight (G·n, n), or the identity for IDENTITY: (n, n). */
    private static Tensor factor(Tensor weight, int w, int n) {
        if (w != BlockTerms.IDENTITY) return Shapes.slice(weight, 0, w * n, (w + 1) * n);
        float[] id = new float[n * n];
        for (int i = 0; i < n; i++) id[i * n + i] = 1f;
        return weight.backend().fromArray(id, Shape.of(n, n));
    }

    /** ∂/∂c_k[i] = Σ_j g_block[i, j] factor_k[i, j]: (matrices, count, n). */
    private static Tensor coefficientGradient(Tensor stacked, Tensor weight, BlockTerms terms, Tensor g, int n) {
        List<Tensor> rows = new ArrayList<>(terms.count());
        for (int k = 0; k < terms.count(); k++) {
            Tensor products = Arith.mul(block(g, terms.row(k), terms.col(k), n), factor(weight, terms.weightBlock(k), n));
            rows.add(Shapes.reshape(Reduce.sum(products, -1, false), stacked.dim(0), 1, n));
        }
        return rows.size() == 1 ? rows.getFirst() : Shapes.concat(rows, 1);
    }

    /** ∂/∂W_g = Σ over matrices and the terms k using block g of diag(c_k) g_block: (G·n, n). */
    private static Tensor weightGradient(Tensor stacked, Tensor weight, BlockTerms terms, Tensor g, int n) {
        int blocks = weight.dim(0) / n, matrices = stacked.dim(0);
        List<Tensor> grads = new ArrayList<>(blocks);
        for (int w = 0; w < blocks; w++) {
            Tensor sum = null;
            for (int k = 0; k < terms.count(); k++) {
                if (terms.weightBlock(k) != w) continue;
                Tensor column = Shapes.reshape(Shapes.slice(stacked, 1, k, k + 1), matrices, n, 1);
                Tensor term = Reduce.sum(Arith.mul(column, block(g, terms.row(k), terms.col(k), n)), 0, false);
                sum = sum == null ? term : Arith.add(sum, term);
            }
            grads.add(sum != null ? sum : weight.backend().zeros(Shape.of(n, n)));
        }
        return grads.size() == 1 ? grads.getFirst() : Shapes.concat(grads, 0);
    }

    private static void check(String op, List<Tensor> coefficients, Tensor weight, BlockTerms terms) {
        if (terms == null) throw new IllegalArgumentException(op + ": terms is null");
        if (coefficients == null || coefficients.size() != terms.count())
            throw new IllegalArgumentException(op + ": one coefficient tensor per term is needed: " + terms.count() + " for "
                    + terms + ", got " + (coefficients == null ? "null" : coefficients.size()));
        ShapeChecks.floats(op, "weight", weight);
        for (int k = 0; k < coefficients.size(); k++) ShapeChecks.floats(op, "coefficient " + k, coefficients.get(k));
        List<Tensor> all = new ArrayList<>(coefficients);
        all.add(weight);
        Checks.sameBackend(op, all.toArray(Tensor[]::new));
        if (weight.rank() != 2 || weight.dim(1) < 1 || weight.dim(0) % weight.dim(1) != 0)
            throw new IllegalArgumentException(op + ": weight must be (G·n, n), square n × n blocks stacked by rows, got "
                    + weight.shape());
        int n = weight.dim(1), blocks = weight.dim(0) / n;
        if (terms.maxWeightBlock() >= blocks)
            throw new IllegalArgumentException(op + ": " + terms + " uses weight block " + terms.maxWeightBlock()
                    + " but weight " + weight.shape() + " has " + blocks + " blocks of " + n + " × " + n);
        Shape first = coefficients.getFirst().shape();
        if (first.rank() < 1 || first.last() != n)
            throw new IllegalArgumentException(op + ": coefficients must be (..., " + n + ") to match weight " + weight.shape()
                    + ", got " + first);
        for (int k = 1; k < coefficients.size(); k++)
            if (!coefficients.get(k).shape().equals(first))
                throw new IllegalArgumentException(op + ": coefficient " + k + " has shape " + coefficients.get(k).shape()
                        + " but coefficient 0 has " + first + "; all must have one shape");
    }
}
