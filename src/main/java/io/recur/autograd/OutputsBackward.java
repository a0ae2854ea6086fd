package io.recur.autograd;

import io.recur.tensor.Tensor;

/**
 * The backward of an operation with several outputs ({@link Tape#recordOutputs}): from the
 * gradients of its outputs (null for an output that received none), the gradients of its inputs,
 * as {@link Backward} does for one output.
 */
@FunctionalInterface
public interface OutputsBackward {
    Tensor[] apply(Context ctx, Tensor[] gradOutputs);
}
