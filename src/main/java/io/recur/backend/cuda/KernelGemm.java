package io.recur.backend.cuda;

/** The tiled SGEMM kernel of kernels/gemm.cu: 64 x 64 tiles of C per 256-thread block, batch on grid z. */
final class KernelGemm implements GemmEngine {
    private static final int TILE = 64;
    private final KernelLauncher launcher;

    KernelGemm(KernelLauncher launcher) { this.launcher = launcher; }

    @Override public String name() { return "own SGEMM"; }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, long a, long strideA,
                     long b, long strideB, float beta, long c, long strideC) {
        if (batch == 0 || m == 0 || n == 0) return;
        LaunchConfig cfg = LaunchConfig.of((n + TILE - 1) / TILE, (m + TILE - 1) / TILE,
                Math.min(batch, LaunchConfig.MAX_GRID_YZ), 256, 1, 1);
        if (cfg.gridY() > LaunchConfig.MAX_GRID_YZ)
            throw new IllegalArgumentException("gemm: m = " + m + " exceeds the own SGEMM's grid limit of " + LaunchConfig.MAX_GRID_YZ * TILE + " rows");
        KernelArgs args = new KernelArgs().flag(transA).flag(transB).i32(batch).i32(m).i32(n).i32(k).f32(alpha)
                .pointer(a).i64(strideA).pointer(b).i64(strideB).f32(beta).pointer(c).i64(strideC);
        launcher.launch(Kernel.SGEMM, cfg, args);
    }
}
