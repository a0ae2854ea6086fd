package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;

import io.recur.tensor.Tensor;

/**
 * Host side of ELK's Kalman gains (kernels/kalman.cu), parallel in time: the filtering elements of
 * every (row, t), a Hillis–Steele scan of ⌈log₂ T⌉ combine launches between two float64
 * workspaces of (batch, T, 3, n, n) doubles, then the gains from the prefixes. One block per
 * (row, t) with up to {@link #MAX_THREADS} threads over the n×n entries.
 */
final class CudaKalman {
    /** KALMAN_MAX_N in kalman.cu: the matrices live in shared memory. */
    static final int MAX_N = 32;
    static final int MAX_THREADS = 256;

    private final KernelLauncher launcher;
    private final CachingAllocator allocator;

    CudaKalman(KernelLauncher launcher, CachingAllocator allocator) {
        this.launcher = launcher;
        this.allocator = allocator;
    }

    void gains(Tensor jacobian, int batch, int length, int n, double observationVariance, Tensor keep, Tensor smootherGain) {
        if (n < 1 || n > MAX_N) throw new IllegalArgumentException("kalmanGains: state size n must be in [1, " + MAX_N + "], got " + n);
        long jobs = (long) batch * length;
        if (jobs == 0) return;
        long variance = Double.doubleToRawLongBits(observationVariance);
        long bytes = jobs * 3 * n * n * Double.BYTES;
        long current = allocator.allocate(bytes), other = 0;
        try {
            launcher.launch(Kernel.KALMAN_ELEMENTS, LaunchConfig.elementwise(jobs * n * n), new KernelArgs().pointer(address(jacobian))
                    .i32(batch).i32(length).i32(n).i64(variance).pointer(current), jacobian);
            if (length > 1) other = allocator.allocate(bytes);
            for (long distance = 1; distance < length; distance *= 2) {
                launcher.launch(Kernel.KALMAN_COMBINE, blockPerStep(jobs, n), new KernelArgs().pointer(current).i32(batch)
                        .i32(length).i32(n).i32((int) distance).pointer(other));
                long swap = current;
                current = other;
                other = swap;
            }
            launcher.launch(Kernel.KALMAN_GAINS, blockPerStep(jobs, n), new KernelArgs().pointer(address(jacobian)).pointer(current)
                    .i32(batch).i32(length).i32(n).i64(variance).pointer(address(keep)).pointer(address(smootherGain)),
                    jacobian, keep, smootherGain);
        } finally {
            allocator.free(current);   // stream order makes the blocks safe to reuse at once
            if (other != 0) allocator.free(other);
        }
    }

    /** A block per (row, t), grid-stride beyond MAX_BLOCKS; whole warps over the n×n entries. */
    private static LaunchConfig blockPerStep(long jobs, int n) {
        int threads = Math.min(MAX_THREADS, (n * n + 31) / 32 * 32);
        return LaunchConfig.of((int) Math.min(jobs, LaunchConfig.MAX_BLOCKS), 1, 1, threads, 1, 1);
    }
}
