package io.recur.parallel;

import io.recur.ops.MatMul;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;

/** Small batched linear algebra on (…, n, n) matrices and (…, n) vectors. */
final class Batched {
    private Batched() {}

    /** M v for every leading index: M (…, n, n), v (…, n) → (…, n). */
    static Tensor apply(Tensor m, Tensor v) {
        Tensor product = MatMul.matmul(m, ProjectedCell.column(v));
        return Shapes.reshape(product, v.shape().dims());
    }
}
