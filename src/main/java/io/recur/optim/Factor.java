package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * One Kronecker factor of a block: the n×n statistics of one mode (L, R, ...) and the matrix made
 * from them, an inverse root for Shampoo or an eigenbasis for SOAP, which starts as the identity.
 * Both are optimizer state; the count of consecutive failed refreshes is not (a resumed run starts
 * it again at 0).
 */
final class Factor {
    /** "{parameter}.block{j}.mode{i}", the prefix of this factor's state names. */
    final String name;
    final int mode, n;
    /** The exponent of the inverse root (Shampoo) that this factor's block uses. */
    final int root;
    final Tensor statistics, transform;
    int failures;

    Factor(Backend backend, String name, int mode, int n, int root) {
        this.name = name;
        this.mode = mode;
        this.n = n;
        this.root = root;
        this.statistics = OwnedTensors.unscoped(backend.zeros(Shape.of(n, n)));
        this.transform = OwnedTensors.unscoped(backend.zeros(Shape.of(n, n)));
        BlockOps.setIdentity(transform, n);
    }

    void reset() {
        statistics.backend().fill(statistics, 0f);
        BlockOps.setIdentity(transform, n);
        failures = 0;
    }

    void close() {
        statistics.close();
        transform.close();
    }
}
