package io.recur.backend.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters of one kernel launch, in declaration order: device pointers, 32/64-bit integers,
 * floats, and small by-value structs of ints (the kernels' Layout). A driver turns them into its
 * launch parameter block.
 */
public final class KernelArgs {
    public enum Kind { POINTER, INT, LONG, FLOAT, INT_STRUCT }

    /** One parameter: scalars live in {@code bits} (float bits for FLOAT), structs in {@code ints}. */
    public record Arg(Kind kind, long bits, int[] ints) {
        public int intValue() { return (int) bits; }

        public float floatValue() { return Float.intBitsToFloat((int) bits); }

        /** Size in bytes of the parameter in the kernel's parameter space. */
        public int bytes() {
            return switch (kind) {
                case POINTER, LONG -> 8;
                case INT, FLOAT -> 4;
                case INT_STRUCT -> 4 * ints.length;
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case POINTER -> "0x" + Long.toHexString(bits);
                case INT -> Integer.toString((int) bits);
                case LONG -> bits + "L";
                case FLOAT -> floatValue() + "f";
                case INT_STRUCT -> Arrays.toString(ints);
            };
        }
    }

    private final List<Arg> args = new ArrayList<>(12);

    public KernelArgs pointer(long address) { return add(new Arg(Kind.POINTER, address, null)); }

    public KernelArgs i32(int value) { return add(new Arg(Kind.INT, value, null)); }

    /** A boolean passed as an int (0 or 1), as the kernels declare flags. */
    public KernelArgs flag(boolean value) { return i32(value ? 1 : 0); }

    public KernelArgs i64(long value) { return add(new Arg(Kind.LONG, value, null)); }

    public KernelArgs f32(float value) { return add(new Arg(Kind.FLOAT, Float.floatToRawIntBits(value) & 0xFFFFFFFFL, null)); }

    /** A struct of ints passed by value (copied, so the caller may reuse its array). */
    public KernelArgs intStruct(int[] values) { return add(new Arg(Kind.INT_STRUCT, 0, values.clone())); }

    private KernelArgs add(Arg a) {
        args.add(a);
        return this;
    }

    public int size() { return args.size(); }

    public Arg get(int i) { return args.get(i); }

    public List<Arg> all() { return List.copyOf(args); }

    @Override
    public String toString() { return args.toString(); }
}
