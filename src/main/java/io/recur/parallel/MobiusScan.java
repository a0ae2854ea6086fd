package io.recur.parallel;

import io.recur.ops.Arith;
import io.recur.ops.Shapes;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * Prefix compositions of elementwise Möbius maps p ↦ (m11 p + m12) / (m21 p + m22), each held as
 * its 2×2 matrix (four tensors of one shape (batch, T, …), entries ≥ 0): the scalar Riccati
 * recursion of a Kalman filter's variance is such a map per step, so its whole sequence is one
 * associative scan. Hillis–Steele: ⌈log₂ T⌉ rounds, each composing step t with step t − d. A map is
 * unchanged by scaling its matrix, so every product is divided by the sum of its entries: the
 * entries stay in [0, 1] and the products over thousands of steps neither overflow nor vanish.
 */
final class MobiusScan {
    private MobiusScan() {}

    /**
     * The value after each step when the start value is 0: p_t = (M_t ∘ … ∘ M_0)(0), i.e. the
     * prefix product's m12 / m22. Needs m22 > 0 at every step.
     */
    static Tensor fromZero(Tensor m11, Tensor m12, Tensor m21, Tensor m22) {
        Tensor[] q = normalized(m11, m12, m21, m22);
        int length = m11.dim(1);
        for (int d = 1; d < length; d *= 2) {
            Tensor[] next;
            // each round's temporaries go with its scope, and the previous prefixes once replaced:
            // only one round's worth of memory is live, not ⌈log₂ T⌉ rounds' worth
            try (Scope round = Scope.open("MobiusScan round")) {
                // earlier prefixes (identity before step 0), d steps back
                Tensor[] e = {delayed(q[0], d, 1f), delayed(q[1], d, 0f), delayed(q[2], d, 0f), delayed(q[3], d, 1f)};
                next = normalized(
                        Arith.add(Arith.mul(q[0], e[0]), Arith.mul(q[1], e[2])), Arith.add(Arith.mul(q[0], e[1]), Arith.mul(q[1], e[3])),
                        Arith.add(Arith.mul(q[2], e[0]), Arith.mul(q[3], e[2])), Arith.add(Arith.mul(q[2], e[1]), Arith.mul(q[3], e[3])));
                for (int i = 0; i < next.length; i++) next[i] = round.keep(next[i]);
            }
            for (Tensor old : q) old.close();
            q = next;
        }
        Tensor variance = Arith.div(q[1], q[3]);
        for (Tensor t : q) t.close();
        return variance;
    }

    private static Tensor[] normalized(Tensor a, Tensor b, Tensor c, Tensor d) {
        Tensor sum = Arith.add(Arith.add(a, b), Arith.add(c, d));
        return new Tensor[] {Arith.div(a, sum), Arith.div(b, sum), Arith.div(c, sum), Arith.div(d, sum)};
    }

    /** x moved d steps later along axis 1, the first d steps filled with value. */
    private static Tensor delayed(Tensor x, int d, float value) {
        Tensor head = x.backend().full(x.shape().with(1, d), value);
        return Shapes.concat(List.of(head, Shapes.slice(x, 1, 0, x.dim(1) - d)), 1);
    }
}
