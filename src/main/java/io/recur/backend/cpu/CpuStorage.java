package io.recur.backend.cpu;

import io.recur.tensor.DType;
import io.recur.tensor.Storage;
import io.recur.tensor.Tensor;

/**
 * A storage on the Java heap: one primitive array per dtype (float[], int[] or long[]). Heap arrays
 * keep the elementwise loops simple and let the JIT vectorise them; GEMM reaches them without a copy
 * through the foreign-function API (see {@link OpenBlasSgemm}).
 */
final class CpuStorage extends Storage {
    private final Object array;
    private final CpuMemory memory;

    CpuStorage(DType dtype, int length, CpuMemory memory) {
        super(dtype, length);
        this.array = switch (dtype) {
            case F32 -> new float[length];
            case I32 -> new int[length];
            case I64 -> new long[length];
        };
        this.memory = memory;
        memory.allocated(bytes());
    }

    /** The backing array (float[], int[] or long[] by dtype). */
    Object array() { return array; }

    @Override
    protected void free() { memory.freed(bytes()); }

    // ---- typed access to a tensor's storage, with the checks every kernel needs ------------------

    static CpuStorage of(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s))
            throw new IllegalArgumentException(t + " is not a CPU tensor");
        return s;
    }

    /** The float[] behind a float32 tensor; index it at {@link #offset(Tensor)} + i. */
    static float[] f32(Tensor t) {
        requireDType(t, DType.F32);
        return (float[]) of(t).array;
    }

    /** The int[] behind an int32 tensor. */
    static int[] i32(Tensor t) {
        requireDType(t, DType.I32);
        return (int[]) of(t).array;
    }

    static long[] i64(Tensor t) {
        requireDType(t, DType.I64);
        return (long[]) of(t).array;
    }

    /** Element 0 of the tensor within its storage array. */
    static int offset(Tensor t) { return (int) t.offset(); }

    static void requireDType(Tensor t, DType dtype) {
        if (t.dtype() != dtype)
            throw new IllegalArgumentException("the CPU backend expects a " + dtype + " tensor here, got " + t);
    }

    /** Fails unless t holds at least n elements (the backend must never index out of bounds). */
    static void requireSize(Tensor t, long n, String what) {
        if (t.size() < n)
            throw new IllegalArgumentException(what + ": " + t + " has " + t.size() + " elements, needs " + n);
    }

    static void requireSameSize(Tensor a, Tensor b, String what) {
        if (a.size() != b.size())
            throw new IllegalArgumentException(what + ": sizes differ, " + a + " vs " + b);
    }
}
