package io.recur.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Kernel arguments as cuLaunchKernel takes them: an array of pointers, entry i pointing at the bytes
 * of parameter i. Pointers and 64-bit integers take 8 bytes, ints and floats 4, and a by-value struct
 * of ints its ints back to back (the layout of the kernels' int-only structs).
 */
final class SimKernelArgs {
    private SimKernelArgs() {}

    /** The void*[] for args, with every value allocated in arena (which must outlive the launch). */
    static MemorySegment marshal(KernelArgs args, Arena arena) {
        MemorySegment pointers = arena.allocate(ADDRESS, Math.max(1, args.size()));
        for (int i = 0; i < args.size(); i++) pointers.setAtIndex(ADDRESS, i, value(args.get(i), arena));
        return pointers;
    }

    private static MemorySegment value(KernelArgs.Arg a, Arena arena) {
        return switch (a.kind()) {
            case POINTER, LONG -> arena.allocateFrom(JAVA_LONG, a.bits());
            case INT, FLOAT -> arena.allocateFrom(JAVA_INT, (int) a.bits());
            case INT_STRUCT -> arena.allocateFrom(JAVA_INT, a.ints());
        };
    }
}
