package io.recur.parallel;

import io.recur.backend.BlockTerms;
import io.recur.ops.Arith;
import io.recur.ops.Jacobians;
import io.recur.ops.MatMul;
import io.recur.ops.Reduce;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the torch-style cells share: parameters weight_ih (gates·hidden, input), weight_hh
 * (gates·hidden, hidden), bias_ih and bias_hh (gates·hidden, or null), gates stacked in torch's
 * order; the drive is x W_ihᵀ + b_ih, and helpers build Jacobians from the recurrent weight blocks.
 */
abstract class ProjectedCell implements RecurrentCell {
    protected final Tensor weightIh, weightHh, biasIh, biasHh;
    protected final int hidden, gates;

    ProjectedCell(String name, int gates, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        if (weightHh.rank() != 2 || weightHh.dim(0) % gates != 0 || weightHh.dim(0) / gates != weightHh.dim(1))
            throw new IllegalArgumentException(name + ": weight_hh must be (" + gates + "·hidden, hidden), got " + weightHh.shape());
        int h = weightHh.dim(1);
        if (weightIh.rank() != 2 || weightIh.dim(0) != gates * h)
            throw new IllegalArgumentException(name + ": weight_ih must be (" + gates * h + ", input) to match weight_hh "
                    + weightHh.shape() + ", got " + weightIh.shape());
        for (Tensor b : new Tensor[] {biasIh, biasHh})
            if (b != null && !b.shape().equals(Shape.of(gates * h)))
                throw new IllegalArgumentException(name + ": biases must be (" + gates * h + "), got " + b.shape());
        this.weightIh = weightIh;
        this.weightHh = weightHh;
        this.biasIh = biasIh;
        this.biasHh = biasHh;
        this.hidden = h;
        this.gates = gates;
    }

    @Override public int outputSize() { return hidden; }

    @Override public Tensor drive(Tensor x) { return MatMul.linear(x, weightIh, biasIh); }

    /** h W_hhᵀ + b_hh. */
    protected Tensor recurrent(Tensor h) { return MatMul.linear(h, weightHh, biasHh); }

    /** (batch, T, k) as (batch·T, k): every step of the trajectory as one row, for the fused cell ops. */
    protected static Tensor rows(Tensor t) { return Shapes.reshape(t, t.dim(0) * t.dim(1), t.dim(2)); }

    /** (batch·T, k) back to (batch, T, k) with like's batch and T. */
    protected static Tensor steps(Tensor t, Tensor like) { return Shapes.reshape(t, like.dim(0), like.dim(1), t.dim(1)); }

    /** (…, gates·hidden) cut into the gates, in torch's order. */
    protected List<Tensor> splitGates(Tensor g) {
        int[] sizes = new int[gates];
        Arrays.fill(sizes, hidden);
        return Shapes.split(g, sizes, -1);
    }

    /** Gate k's block of weight_hh, (hidden, hidden). */
    protected Tensor block(int k) { return Shapes.slice(weightHh, 0, k * hidden, (k + 1) * hidden); }

    /** The diagonal of gate k's block of weight_hh, (hidden). */
    protected Tensor blockDiagonal(int k) { return Reduce.sum(Arith.mul(block(k), eye()), -1, false); }

    /**
     * The Jacobian Σ_k diag(coefficients_k) W_k with the terms placed in the blocks terms names (W_k gate
     * block terms.weightBlock(k) of weight_hh, or I): for FULL the matrices (batch, T, side, side),
     * built in one pass; for DIAGONAL only their diagonals (batch, T, side), from the diagonal blocks.
     */
    protected Tensor jacobian(List<Tensor> coefficients, BlockTerms terms, JacobianKind kind) {
        if (kind == JacobianKind.FULL) return Jacobians.rowScaledBlocks(coefficients, weightHh, terms);
        List<Tensor> diagonals = new ArrayList<>(terms.blocks());
        for (int a = 0; a < terms.blocks(); a++) {
            Tensor sum = null;
            for (int k = 0; k < terms.count(); k++) {
                if (terms.row(k) != a || terms.col(k) != a) continue;
                Tensor c = coefficients.get(k);
                Tensor term = terms.weightBlock(k) == BlockTerms.IDENTITY ? c : Arith.mul(c, blockDiagonal(terms.weightBlock(k)));
                sum = sum == null ? term : Arith.add(sum, term);
            }
            diagonals.add(sum != null ? sum : weightHh.backend().zeros(coefficients.getFirst().shape()));   // no term on that diagonal
        }
        return diagonals.size() == 1 ? diagonals.getFirst() : Shapes.concat(diagonals, -1);
    }

    /** σ'(x) in terms of s = σ(x): s (1 - s). */
    protected static Tensor sigmoidSlope(Tensor s) { return Arith.mul(s, Arith.rsub(1f, s)); }

    /** tanh'(x) in terms of t = tanh(x): 1 - t². */
    protected static Tensor tanhSlope(Tensor t) { return Arith.rsub(1f, Arith.mul(t, t)); }

    private Tensor eye() { return identity(weightHh, hidden); }

    private static Tensor identity(Tensor like, int m) {
        float[] id = new float[m * m];
        for (int i = 0; i < m; i++) id[i * m + i] = 1f;
        return like.backend().fromArray(id, Shape.of(m, m));
    }
}
