package io.recur.parallel;

import io.recur.backend.BlockTerms;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.RecurrentCells;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * torch.nn.GRU's cell (gates r, z, n; b_hn inside the reset product), the same arithmetic as
 * {@link io.recur.nn.GRU}: r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n),
 * f = (1 - z) n + z h. Its Jacobian:
 * <pre>
 *   ∂f/∂h = diag(z) + diag((h - n) z(1-z)) W_hz + diag((1-z)(1-n²) h_n r(1-r)) W_hr + diag((1-z)(1-n²) r) W_hn
 * </pre>
 */
public final class GruCell extends ProjectedCell {
    private static final int R = 0, Z = 1, N = 2;
    /** The coefficients of W_hz, W_hr, W_hn, then z on the diagonal. */
    private static final BlockTerms TERMS = BlockTerms.single(Z, R, N, BlockTerms.IDENTITY);

    /** The parameters of one torch GRU layer (biases may be null). */
    public GruCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        super("GruCell", 3, weightIh, weightHh, biasIh, biasHh);
    }

    @Override public int stateSize() { return hidden; }

    @Override
    public Linearization linearize(Tensor prev, Tensor drive, JacobianKind jacobian) {
        Tensor gh = recurrent(prev);
        // the value alone (at the solution, on the tape): the fused cell, one op over every step
        if (jacobian == JacobianKind.NONE) return new Linearization(steps(RecurrentCells.gruCell(rows(drive), rows(gh), rows(prev)), prev), null);
        List<Tensor> x = splitGates(drive), hh = splitGates(gh);
        Tensor r = Activations.sigmoid(Arith.add(x.get(R), hh.get(R)));
        Tensor z = Activations.sigmoid(Arith.add(x.get(Z), hh.get(Z)));
        Tensor n = Activations.tanh(Arith.add(x.get(N), Arith.mul(r, hh.get(N))));
        Tensor value = Arith.add(n, Arith.mul(z, Arith.sub(prev, n)));
        Tensor throughN = Arith.mul(Arith.rsub(1f, z), tanhSlope(n));
        List<Tensor> coefficients = List.of(
                Arith.mul(Arith.sub(prev, n), sigmoidSlope(z)),
                Arith.mul(throughN, Arith.mul(hh.get(N), sigmoidSlope(r))),
                Arith.mul(throughN, r),
                z);
        return new Linearization(value, jacobian(coefficients, TERMS, jacobian));
    }
}
