package io.recur.tensor;

/** Element types. Devices compute in float32; int32/int64 hold indices and targets. */
public enum DType {
    F32(4), I32(4), I64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }
}
