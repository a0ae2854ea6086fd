package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;
import static io.recur.backend.cuda.CudaBackend.orNull;

import io.recur.tensor.Tensor;

/**
 * Host side of the scan kernels (kernels/scan.cu): picks the launch plan of each diagonal scan and
 * runs the multi-block passes when rows are too few to fill the device.
 */
final class CudaScans {
    /** Steps each thread holds per chunk (SCAN_ITEMS in scan.cuh). */
    static final int ITEMS = 4;
    /** Largest block of the diagonal kernels (SCAN_MAX_WARPS warps). */
    static final int MAX_THREADS = 256;
    /** Blocks per SM that a multi-block scan aims for, to hide memory latency. */
    static final int BLOCKS_PER_SM = 2;

    private final KernelLauncher launcher;
    private final CachingAllocator allocator;
    private final int multiprocessors;

    CudaScans(KernelLauncher launcher, CachingAllocator allocator, int multiprocessors) {
        this.launcher = launcher;
        this.allocator = allocator;
        this.multiprocessors = Math.max(1, multiprocessors);
    }

    /**
     * How a diagonal scan is launched: blocks of threads (32 … 256, sized to the length), each
     * row cut into segments of segmentLength steps (a whole number of chunks), one job per
     * (row, segment).
     */
    record Plan(int threads, int segments, int segmentLength) {
        long jobs(int rows) { return (long) rows * segments; }
    }

    /**
     * One segment per row when the rows give every SM BLOCKS_PER_SM blocks; otherwise enough
     * segments per row to do so, each at least one chunk long.
     */
    static Plan plan(int rows, int length, int multiprocessors) {
        int threads = threadsFor(length);
        int chunk = threads * ITEMS;
        int chunks = (int) ((length + (long) chunk - 1) / chunk);
        long wanted = (long) BLOCKS_PER_SM * multiprocessors;
        if (rows >= wanted || chunks <= 1) return new Plan(threads, 1, length);
        int segments = (int) Math.min(chunks, (wanted + rows - 1) / rows);
        int chunksPerSegment = (chunks + segments - 1) / segments;
        segments = (chunks + chunksPerSegment - 1) / chunksPerSegment;
        return new Plan(threads, segments, chunksPerSegment * chunk);
    }

    /** The block size of a block-wide scan over length steps: 32 … MAX_THREADS, the fewest that cover it in one chunk. */
    static int threadsFor(int length) {
        int threads = 32;
        while (threads < MAX_THREADS && (long) threads * ITEMS < length) threads *= 2;
        return threads;
    }

    Plan plan(int rows, int length) { return plan(rows, length, multiprocessors); }

    void linearScan(Tensor a, Tensor b, Tensor h0, Tensor resets, int rows, int length, boolean reverse, Tensor h) {
        if (rows == 0 || length == 0) return;
        Plan p = plan(rows, length);
        long entering = p.segments() > 1 ? carries(a, b, h0, resets, rows, length, reverse, false, p) : 0;
        try {
            launcher.launch(Kernel.LINEAR_SCAN, blocks(p, p.jobs(rows)), new KernelArgs().pointer(address(a)).pointer(address(b))
                    .pointer(orNull(h0)).pointer(orNull(resets)).i32(rows).i32(length).flag(reverse).i32(p.segments())
                    .i32(p.segmentLength()).pointer(entering).pointer(address(h)), a, b, h0, resets, h);
        } finally {
            if (entering != 0) allocator.free(entering);   // stream order makes the block safe to reuse at once
        }
    }

    void linearScanBackward(Tensor a, Tensor h, Tensor h0, Tensor resets, Tensor gradH, int rows, int length,
                            boolean reverse, Tensor da, Tensor db, Tensor dh0) {
        if (da != null && h == null) throw new IllegalArgumentException("linearScanBackward: da needs the forward output h");
        if (rows == 0) return;
        if (length == 0) {
            if (dh0 != null) launcher.launch(Kernel.FILL, LaunchConfig.elementwise(rows),
                    new KernelArgs().pointer(address(dh0)).i64(rows).f32(0f), dh0);
            return;
        }
        Plan p = plan(rows, length);
        long entering = p.segments() > 1 ? carries(a, gradH, null, resets, rows, length, !reverse, true, p) : 0;
        try {
            launcher.launch(Kernel.LINEAR_SCAN_BACKWARD, blocks(p, p.jobs(rows)), new KernelArgs().pointer(address(a))
                    .pointer(orNull(h)).pointer(orNull(h0)).pointer(orNull(resets)).pointer(address(gradH)).i32(rows)
                    .i32(length).flag(reverse).i32(p.segments()).i32(p.segmentLength()).pointer(entering)
                    .pointer(orNull(da)).pointer(address(db)).pointer(orNull(dh0)), a, h, h0, resets, gradH, da, db, dh0);
        } finally {
            if (entering != 0) allocator.free(entering);
        }
    }

    /**
     * Passes 1 and 2 of a multi-block scan: each segment's aggregate, then the state entering each
     * segment, in a new device block of rows × segments floats (the caller frees it).
     */
    private long carries(Tensor a, Tensor x, Tensor h0, Tensor resets, int rows, int length, boolean scanReverse,
                         boolean lagged, Plan p) {
        long aggregates = allocator.allocate((long) rows * p.segments() * 2 * Float.BYTES);
        long entering = 0;
        try {
            launcher.launch(Kernel.LINEAR_SCAN_REDUCE, blocks(p, (long) rows * (p.segments() - 1)), new KernelArgs()
                    .pointer(address(a)).pointer(address(x)).pointer(orNull(resets)).i32(rows).i32(length).flag(scanReverse)
                    .flag(lagged).i32(p.segments()).i32(p.segmentLength()).pointer(aggregates), a, x, resets);
            entering = allocator.allocate((long) rows * p.segments() * Float.BYTES);
            launcher.launch(Kernel.LINEAR_SCAN_CARRY, LaunchConfig.elementwise(rows), new KernelArgs().pointer(aggregates)
                    .pointer(orNull(h0)).i32(rows).i32(p.segments()).pointer(entering), h0);
            return entering;
        } catch (RuntimeException e) {
            if (entering != 0) allocator.free(entering);
            throw e;
        } finally {
            allocator.free(aggregates);
        }
    }

    private static LaunchConfig blocks(Plan p, long jobs) {
        return LaunchConfig.of((int) Math.min(jobs, LaunchConfig.MAX_BLOCKS), 1, 1, p.threads(), 1, 1);
    }

    void matrixScan(Tensor a, Tensor b, Tensor h0, int rows, int length, int n, boolean reverse, Tensor h) {
        checkStateSize("matrixScan", n);
        if (length == 0) return;
        launcher.launch(Kernel.MATRIX_SCAN, warpPerRow(rows), new KernelArgs().pointer(address(a)).pointer(address(b))
                .pointer(orNull(h0)).i32(rows).i32(length).i32(n).flag(reverse).pointer(address(h)), a, b, h0, h);
    }

    void matrixScanBackward(Tensor a, Tensor h, Tensor h0, Tensor gradH, int rows, int length, int n, boolean reverse,
                            Tensor dA, Tensor db, Tensor dh0) {
        checkStateSize("matrixScanBackward", n);
        if (dA != null && h == null) throw new IllegalArgumentException("matrixScanBackward: dA needs the forward output h");
        if (length == 0) {
            if (dh0 != null) launcher.launch(Kernel.FILL, LaunchConfig.elementwise((long) rows * n),
                    new KernelArgs().pointer(address(dh0)).i64((long) rows * n).f32(0f), dh0);
            return;
        }
        launcher.launch(Kernel.MATRIX_SCAN_BACKWARD, warpPerRow(rows), new KernelArgs().pointer(address(a)).pointer(orNull(h))
                .pointer(orNull(h0)).pointer(address(gradH)).i32(rows).i32(length).i32(n).flag(reverse).pointer(orNull(dA))
                .pointer(address(db)).pointer(orNull(dh0)), a, h, h0, gradH, dA, db, dh0);
    }

    private static LaunchConfig warpPerRow(int rows) {
        return LaunchConfig.of((int) Math.min(rows, LaunchConfig.MAX_BLOCKS), 1, 1, 32, 1, 1);
    }

    private static void checkStateSize(String op, int n) {
        if (n < 1 || n > 32) throw new IllegalArgumentException(op + ": state size n must be in [1, 32], got " + n);
    }
}
