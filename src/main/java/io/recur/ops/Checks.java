package io.recur.ops;

import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/** Argument checks shared by the operations; messages name the operation and what to change. */
final class Checks {
    private Checks() {}

    /** All tensors open, on one backend. */
    static void sameBackend(String op, Tensor... ts) {
        Tensor first = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            t.checkOpen();
            if (first == null) first = t;
            else if (t.backend() != first.backend())
                throw new IllegalArgumentException(op + ": tensors on different backends (" + first.backend().name() + " and "
                        + t.backend().name() + "); move them to one backend first");
        }
    }

    static void dtype(String op, String what, Tensor t, DType expected) {
        if (t.dtype() != expected)
            throw new IllegalArgumentException(op + ": " + what + " must be " + expected + ", got " + t.dtype() + " " + t.shape());
    }

    static void rankAtLeast(String op, String what, Tensor t, int rank) {
        if (t.rank() < rank)
            throw new IllegalArgumentException(op + ": " + what + " needs rank >= " + rank + ", got shape " + t.shape());
    }
}
