package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;

import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.tensor.Tensor;

/**
 * Host side of the batched symmetric-matrix kernels (kernels/roots.cu): one block of 256 threads
 * per matrix. Matrices up to {@link #SMALL} on a side work in shared memory; larger ones get a
 * workspace of {@link #workspaceFloats} floats per block, and then the grid is capped so that the
 * workspace stays bounded.
 */
final class CudaRoots {
    /** ROOT_SMALL in roots.cu. */
    static final int SMALL = 32;
    static final int THREADS = 256;
    /** Work matrices per block (ROOT_MATRICES in roots.cu). */
    static final int MATRICES = 6;
    /** Blocks per SM for large matrices: enough to fill the device, few enough to bound the workspace. */
    static final int BLOCKS_PER_SM = 2;

    private final KernelLauncher launcher;
    private final CachingAllocator allocator;
    private final int multiprocessors;

    CudaRoots(KernelLauncher launcher, CachingAllocator allocator, int multiprocessors) {
        this.launcher = launcher;
        this.allocator = allocator;
        this.multiprocessors = Math.max(1, multiprocessors);
    }

    /** rootWorkspaceFloats in roots.cu. */
    static long workspaceFloats(int n) { return (long) MATRICES * n * n + 4L * (n + 1) + 32; }

    void inverseRoots(Tensor a, int batch, int n, RootSettings s, Tensor roots, Tensor residuals) {
        if (batch == 0) return;
        int grid = grid(batch, n);
        long work = workspace(grid, n);
        try {
            KernelArgs args = new KernelArgs().pointer(address(a)).i32(batch).i32(n).i32(s.p()).f32((float) s.epsilon()).flag(s.relativeEpsilon());
            if (s.method() == RootMethod.COUPLED_NEWTON) {
                launcher.launch(Kernel.INVERSE_ROOT_NEWTON, config(grid), args.i32(s.maxIterations()).f32((float) s.tolerance())
                        .pointer(address(roots)).pointer(address(residuals)).pointer(work), a, roots, residuals);
            } else {
                launcher.launch(Kernel.INVERSE_ROOT_EIGEN, config(grid), args.pointer(address(roots)).pointer(address(residuals)).pointer(work),
                        a, roots, residuals);
            }
        } finally {
            if (work != 0) allocator.free(work);   // stream order makes the block safe to reuse at once
        }
    }

    void symmetricEigen(Tensor a, int batch, int n, Tensor eigenvalues, Tensor eigenvectors) {
        if (batch == 0) return;
        int grid = grid(batch, n);
        long work = workspace(grid, n);
        try {
            launcher.launch(Kernel.SYMMETRIC_EIGEN, config(grid), new KernelArgs().pointer(address(a)).i32(batch).i32(n)
                    .pointer(address(eigenvalues)).pointer(address(eigenvectors)).pointer(work), a, eigenvalues, eigenvectors);
        } finally {
            if (work != 0) allocator.free(work);
        }
    }

    private int grid(int batch, int n) {
        int cap = n <= SMALL ? LaunchConfig.MAX_BLOCKS : BLOCKS_PER_SM * multiprocessors;
        return Math.min(batch, cap);
    }

    private long workspace(int grid, int n) {
        return n <= SMALL ? 0 : allocator.allocate(grid * workspaceFloats(n) * Float.BYTES);
    }

    private static LaunchConfig config(int grid) { return LaunchConfig.of(grid, 1, 1, THREADS, 1, 1); }
}
