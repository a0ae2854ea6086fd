package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Allocation of op outputs and temporaries: always float32 on the backend of the inputs. */
final class Outputs {
    private Outputs() {}

    static Tensor f32(Backend backend, Shape shape) { return backend.allocate(shape, DType.F32); }

    /** A float32 tensor with x's shape on x's backend. */
    static Tensor like(Tensor x) { return f32(x.backend(), x.shape()); }

    /**
     * The same fresh tensor under another shape of equal size. The returned view replaces the
     * original, which is closed, so the caller still holds exactly one tensor.
     */
    static Tensor reshaped(Tensor fresh, Shape shape) {
        if (fresh.shape().equals(shape)) return fresh;
        Tensor view = fresh.reshape(shape.dims());
        fresh.close();
        return view;
    }

    /** Shape of all ones with the given rank: the target of a full reduction by sumTo. */
    static Shape ones(int rank) {
        int[] d = new int[rank];
        java.util.Arrays.fill(d, 1);
        return Shape.of(d);
    }
}
