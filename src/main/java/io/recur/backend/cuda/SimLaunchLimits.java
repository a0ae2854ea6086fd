package io.recur.backend.cuda;

/**
 * The launch limits every CUDA device enforces (compute capability 7.5 and later), checked before a
 * simulated launch so that host code which a GPU would reject with CUDA_ERROR_INVALID_VALUE fails
 * under simulation too, instead of running on a CPU that has no such limits.
 */
final class SimLaunchLimits {
    static final int MAX_THREADS_PER_BLOCK = 1024;
    static final int MAX_BLOCK_XY = 1024, MAX_BLOCK_Z = 64;
    static final int MAX_GRID_YZ = 65535;
    /** Dynamic shared memory a kernel may use without cuFuncSetAttribute, which the backend never calls. */
    static final int MAX_DYNAMIC_SHARED = 48 * 1024;

    private SimLaunchLimits() {}

    static void check(String kernel, int gx, int gy, int gz, int bx, int by, int bz, int shared, String geometry) {
        String why = null;
        if (gx < 1 || gy < 1 || gz < 1 || bx < 1 || by < 1 || bz < 1) why = "every dimension must be at least 1";
        else if (bx > MAX_BLOCK_XY || by > MAX_BLOCK_XY || bz > MAX_BLOCK_Z) why = "block dimensions are limited to (1024, 1024, 64)";
        else if ((long) bx * by * bz > MAX_THREADS_PER_BLOCK) why = "a block has at most 1024 threads";
        else if (gy > MAX_GRID_YZ || gz > MAX_GRID_YZ) why = "grid y and z are limited to 65535";
        else if (shared < 0 || shared > MAX_DYNAMIC_SHARED) why = "dynamic shared memory is limited to 48 KiB without opting in";
        if (why != null)
            throw new CudaDriverException("could not launch kernel " + kernel + " with " + geometry + ": " + why
                    + " (CUDA_ERROR_INVALID_VALUE on a GPU)", "CUDA_ERROR_INVALID_VALUE");
    }
}
