package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;
import static io.recur.backend.cuda.CudaBackend.orNull;

import io.recur.tensor.Tensor;

/**
 * Host side of the RG-LRU kernels (kernels/rglru.cu): one thread per (batch element, channel, time
 * segment), channels-last. When batch × width threads cannot fill the device, time is cut into
 * segments, joined by the three-pass scheme of the diagonal scans: rglru_reduce_f32, scan.cu's
 * carry kernel, then the forward or backward kernel from the entering states.
 */
final class CudaRgLru {
    /** Block shape of the kernels (RGLRU_CHANNELS × RGLRU_JOBS). */
    static final int CHANNELS = 32, JOBS = 8;
    /** Resident threads per SM that the segments aim to occupy. */
    static final int THREADS_PER_SM = 2048;
    /** Shorter segments would spend more on the extra reduce pass and carries than they gain. */
    static final int MIN_SEGMENT = 64;

    private final KernelLauncher launcher;
    private final CachingAllocator allocator;
    private final int multiprocessors;

    CudaRgLru(KernelLauncher launcher, CachingAllocator allocator, int multiprocessors) {
        this.launcher = launcher;
        this.allocator = allocator;
        this.multiprocessors = Math.max(1, multiprocessors);
    }

    /** segments × segmentLength covers the sequence; one segment when the rows fill the device. */
    record Plan(int segments, int segmentLength) {}

    static Plan plan(int batch, int length, int width, int multiprocessors) {
        long rows = (long) batch * width, wanted = (long) THREADS_PER_SM * multiprocessors;
        int segments = (int) Math.max(1, Math.min(length / MIN_SEGMENT, (wanted + rows - 1) / rows));
        int segmentLength = (length + segments - 1) / segments;
        return new Plan((length + segmentLength - 1) / segmentLength, segmentLength);
    }

    void forward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0,
                 int batch, int length, int width, Tensor h) {
        if ((long) batch * length * width == 0) return;
        Plan p = plan(batch, length, width, multiprocessors);
        long entering = p.segments() > 1 ? carries(x, gateXPre, gateAPre, lambda, resets, h0, null, batch, length, width, p) : 0;
        try {
            launcher.launch(Kernel.RGLRU_FORWARD, grid(batch, width, p), new KernelArgs().pointer(address(x))
                    .pointer(address(gateXPre)).pointer(address(gateAPre)).pointer(address(lambda)).pointer(orNull(resets))
                    .pointer(orNull(h0)).i32(batch).i32(length).i32(width).i32(p.segments()).i32(p.segmentLength())
                    .pointer(entering).pointer(address(h)), x, gateXPre, gateAPre, lambda, resets, h0, h);
        } finally {
            if (entering != 0) allocator.free(entering);   // stream order makes the block safe to reuse at once
        }
    }

    void backward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0, Tensor h,
                  Tensor gradH, int batch, int length, int width,
                  Tensor dx, Tensor dGateXPre, Tensor dGateAPre, Tensor dLambda, Tensor dh0) {
        if (dLambda != null) fill(dLambda, width);   // the kernel adds its block sums with atomics
        if (length == 0 && dh0 != null) fill(dh0, (long) batch * width);
        if ((long) batch * length * width == 0) return;
        Plan p = plan(batch, length, width, multiprocessors);
        long entering = p.segments() > 1 ? carries(x, gateXPre, gateAPre, lambda, resets, null, gradH, batch, length, width, p) : 0;
        try {
            launcher.launch(Kernel.RGLRU_BACKWARD, grid(batch, width, p), new KernelArgs().pointer(address(x))
                    .pointer(address(gateXPre)).pointer(address(gateAPre)).pointer(address(lambda)).pointer(orNull(resets))
                    .pointer(orNull(h0)).pointer(address(h)).pointer(address(gradH)).i32(batch).i32(length).i32(width)
                    .i32(p.segments()).i32(p.segmentLength()).pointer(entering).pointer(address(dx))
                    .pointer(address(dGateXPre)).pointer(address(dGateAPre)).pointer(orNull(dLambda)).pointer(orNull(dh0)),
                    x, gateXPre, gateAPre, lambda, resets, h0, h, gradH, dx, dGateXPre, dGateAPre, dLambda, dh0);
        } finally {
            if (entering != 0) allocator.free(entering);
        }
    }

    /**
     * Passes 1 and 2: each segment's composed map (forward, or with gradH the backward's), then the
     * state entering each segment, by scan.cu's carry kernel, in a new device block of
     * batch × width × segments floats (the caller frees it). h0 is the forward's initial state.
     */
    private long carries(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0,
                         Tensor gradH, int batch, int length, int width, Plan p) {
        int rows = batch * width;
        long aggregates = allocator.allocate((long) rows * p.segments() * 2 * Float.BYTES);
        long entering = 0;
        try {
            launcher.launch(Kernel.RGLRU_REDUCE, grid(batch, width, p), new KernelArgs().pointer(address(x))
                    .pointer(address(gateXPre)).pointer(address(gateAPre)).pointer(address(lambda)).pointer(orNull(resets))
                    .pointer(orNull(gradH)).i32(batch).i32(length).i32(width).i32(p.segments()).i32(p.segmentLength())
                    .flag(gradH != null).pointer(aggregates), x, gateXPre, gateAPre, lambda, resets, gradH);
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

    /** Channel tiles on x; (batch, segment) jobs on y, JOBS per block, grid-stride beyond the limit. */
    private static LaunchConfig grid(int batch, int width, Plan p) {
        long jobBlocks = ((long) batch * p.segments() + JOBS - 1) / JOBS;
        return LaunchConfig.of((width + CHANNELS - 1) / CHANNELS, (int) Math.min(jobBlocks, LaunchConfig.MAX_GRID_YZ), 1,
                CHANNELS, JOBS, 1);
    }

    private void fill(Tensor t, long n) {
        launcher.launch(Kernel.FILL, LaunchConfig.elementwise(n), new KernelArgs().pointer(address(t)).i64(n).f32(0f), t);
    }
}
