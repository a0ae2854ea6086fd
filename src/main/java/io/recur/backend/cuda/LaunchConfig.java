package io.recur.backend.cuda;

/** Grid and block dimensions of one launch, with the geometries the kernel families use. */
public record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {
    static final int THREADS = 256;
    /** Kernels loop grid-stride, so more blocks than a few waves per SM only add launch cost. */
    static final int MAX_BLOCKS = 1 << 16;
    static final int MAX_GRID_YZ = 65535;

    public LaunchConfig {
        if (gridX < 0 || gridY < 1 || gridZ < 1 || blockX < 1 || blockY < 1 || blockZ < 1)
            throw new IllegalArgumentException("invalid launch geometry " + describe(gridX, gridY, gridZ, blockX, blockY, blockZ));
    }

    /** One thread per work item, grid-stride beyond MAX_BLOCKS blocks; gridX 0 means nothing to do. */
    public static LaunchConfig elementwise(long items) {
        return new LaunchConfig(blocks(items, THREADS), 1, 1, THREADS, 1, 1, 0);
    }

    /** One block per row, a multiple of 32 threads sized to the row (32..512). */
    public static LaunchConfig rows(long rows, int cols) {
        int threads = 32;
        while (threads < cols && threads < 512) threads *= 2;
        return new LaunchConfig((int) Math.min(rows, MAX_BLOCKS), 1, 1, threads, 1, 1, 0);
    }

    public static LaunchConfig of(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ) {
        return new LaunchConfig(gridX, gridY, gridZ, blockX, blockY, blockZ, 0);
    }

    static int blocks(long items, int perBlock) { return (int) Math.min((items + perBlock - 1) / perBlock, MAX_BLOCKS); }

    public boolean isEmpty() { return gridX == 0; }

    @Override
    public String toString() { return describe(gridX, gridY, gridZ, blockX, blockY, blockZ) + (sharedBytes > 0 ? " shared " + sharedBytes + " B" : ""); }

    private static String describe(int gx, int gy, int gz, int bx, int by, int bz) {
        return "grid (" + gx + ", " + gy + ", " + gz + ") block (" + bx + ", " + by + ", " + bz + ")";
    }
}
