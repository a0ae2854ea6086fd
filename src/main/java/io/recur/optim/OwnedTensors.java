package io.recur.optim;

import io.recur.tensor.Tensor;

/** Optimizer state lives as long as the optimizer, so no step scope may close it. */
final class OwnedTensors {
    private OwnedTensors() {}

    /** The same memory under a handle that no scope owns; the original handle is closed. */
    static Tensor unscoped(Tensor t) {
        Tensor owned = t.sharedView();
        t.close();
        return owned;
    }
}
