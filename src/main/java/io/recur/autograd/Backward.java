package io.recur.autograd;

import io.recur.tensor.Tensor;

/**
 * The backward of one recorded operation: from the gradient of its output, the gradients of its
 * inputs, in input order (null where ctx.needsGrad(i) is false). Runs with recording off.
 * Returned tensors may alias gradOut or each other; the tape never writes into them.
 */
@FunctionalInterface
public interface Backward {
    Tensor[] apply(Context ctx, Tensor gradOut);
}
