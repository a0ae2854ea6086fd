package io.recur.parallel;

import io.recur.backend.BlockTerms;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.RecurrentCells;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * torch.nn.LSTM's cell as one recurrence on the state s = [h, c] (2·hidden), the same arithmetic as
 * {@link io.recur.nn.LSTM}: gates i, f, g, o from x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = σ(f) c +
 * σ(i) tanh(g), h' = σ(o) tanh(c'). With q = o (1 - tanh²c') the Jacobian has the blocks
 * <pre>
 *   ∂c'/∂h = diag(tanh(g) i(1-i)) W_hi + diag(c f(1-f)) W_hf + diag(i (1-tanh²g)) W_hg,   ∂c'/∂c = diag(f)
 *   ∂h'/∂h = diag(tanh(c') o(1-o)) W_ho + diag(q) ∂c'/∂h,                              ∂h'/∂c = diag(q f)
 * </pre>
 * (gate letters standing for their activations). Full DEER on this cell needs 2·hidden ≤ 32.
 */
public final class LstmCell extends ProjectedCell {
    private static final int I = 0, F = 1, G = 2, O = 3, ID = BlockTerms.IDENTITY;
    /**
     * The 2 × 2 blocks of ∂[h', c']/∂[h, c], one term per coefficient: ∂h'/∂h (four gate blocks),
     * ∂h'/∂c = diag(q f), ∂c'/∂h (three gate blocks), ∂c'/∂c = diag(f).
     */
    private static final BlockTerms TERMS = new BlockTerms(2,
            new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1},
            new int[] {0, 0, 0, 0, 1, 0, 0, 0, 1},
            new int[] {O, I, F, G, ID, I, F, G, ID});

    public LstmCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        super("LstmCell", 4, weightIh, weightHh, biasIh, biasHh);
    }

    @Override public int stateSize() { return 2 * hidden; }

    @Override
    public Linearization linearize(Tensor prev, Tensor drive, JacobianKind jacobian) {
        List<Tensor> hc = Shapes.split(prev, new int[] {hidden, hidden}, -1);
        Tensor c = hc.get(1), gh = recurrent(hc.get(0));
        if (jacobian == JacobianKind.NONE) {
            // the value alone (at the solution, on the tape): the fused cell, one op over every step
            RecurrentCells.LstmState next = RecurrentCells.lstmCell(rows(drive), rows(gh), rows(c));
            return new Linearization(Shapes.concat(List.of(steps(next.h(), prev), steps(next.c(), prev)), -1), null);
        }
        List<Tensor> pre = splitGates(Arith.add(drive, gh));
        Tensor i = Activations.sigmoid(pre.get(I)), f = Activations.sigmoid(pre.get(F));
        Tensor g = Activations.tanh(pre.get(G)), o = Activations.sigmoid(pre.get(O));
        Tensor cNext = Arith.add(Arith.mul(f, c), Arith.mul(i, g));
        Tensor tanhC = Activations.tanh(cNext);
        Tensor value = Shapes.concat(List.of(Arith.mul(o, tanhC), cNext), -1);
        // c' through the gates i, f, g; h' through o and through c'
        Tensor ci = Arith.mul(g, sigmoidSlope(i)), cf = Arith.mul(c, sigmoidSlope(f)), cg = Arith.mul(i, tanhSlope(g));
        Tensor co = Arith.mul(tanhC, sigmoidSlope(o)), q = Arith.mul(o, tanhSlope(tanhC));
        List<Tensor> coefficients = List.of(co, Arith.mul(q, ci), Arith.mul(q, cf), Arith.mul(q, cg), Arith.mul(q, f), ci, cf, cg, f);
        return new Linearization(value, jacobian(coefficients, TERMS, jacobian));
    }
}
