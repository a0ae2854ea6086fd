package io.recur.parallel;

import io.recur.ops.MatMul;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/** Small batched linear algebra on (…, n, n) matrices and (…, n) vectors. */
final class Batched {
    private Batched() {}

    /** M v for every leading index: M (…, n, n), v (…, n) → (…, n). */
    static Tensor apply(Tensor m, Tensor v) {
        Tensor product = MatMul.matmul(m, column(v));
        return Shapes.reshape(product, v.shape().dims());
    }

    /** v (…, n) as (…, n, 1), a column vector per leading index. */
    static Tensor column(Tensor v) {
        int[] d = Arrays.copyOf(v.shape().dims(), v.rank() + 1);
        d[v.rank()] = 1;
        return Shapes.reshape(v, d);
    }
}
