package io.recur.optim;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checkpoint plumbing every optimizer shares: the step-count tensor, and loading a saved state
 * into the optimizer's own tensors after checking that names, shapes and dtypes match exactly.
 */
final class StateTransfer {
    static final String STEP = "step";

    private StateTransfer() {}

    /** A one-element int64 tensor holding the step count, owned by no scope. */
    static Tensor stepTensor(Tensor like, long steps) {
        return OwnedTensors.unscoped(like.backend().fromArray(new long[] {steps}, Shape.of(1)));
    }

    /**
     * Copies saved into own (both keyed as {@link Optimizer#state} names them, own including
     * {@link #STEP}) and returns the saved step count; a missing, extra or misshapen entry is an
     * error naming it, and nothing is copied then.
     */
    static long load(String kind, Map<String, Tensor> own, Map<String, Tensor> saved) {
        TreeSet<String> missing = new TreeSet<>(own.keySet()), unexpected = new TreeSet<>(saved.keySet());
        missing.removeAll(saved.keySet());
        unexpected.removeAll(own.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new IllegalArgumentException(kind + " state does not fit these parameters"
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (unexpected.isEmpty() ? "" : "; unexpected " + unexpected));
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = saved.get(e.getKey()), dst = e.getValue();
            if (!src.shape().equals(dst.shape()) || src.dtype() != dst.dtype())
                throw new IllegalArgumentException(kind + " state '" + e.getKey() + "' is " + src.dtype() + src.shape() + ", expected " + dst.dtype() + dst.shape());
        }
        long[] step = saved.get(STEP).toLongArray();
        if (step[0] < 0) throw new IllegalArgumentException(kind + " state: negative step count " + step[0]);
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            if (e.getKey().equals(STEP)) continue;
            Tensor src = saved.get(e.getKey()), dst = e.getValue();
            if (src.backend() == dst.backend()) dst.backend().copy(src, dst);
            else try (Tensor staged = dst.backend().fromArray(src.toFloatArray(), dst.shape())) { dst.backend().copy(staged, dst); }
        }
        return step[0];
    }
}
