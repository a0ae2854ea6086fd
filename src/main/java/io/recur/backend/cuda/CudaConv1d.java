package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;
import static io.recur.backend.cuda.CudaBackend.orNull;

import io.recur.tensor.Tensor;

/**
 * Host side of the causal conv1d kernels (kernels/conv1d.cu): tiles of 32 channels × 32 time steps,
 * channel tiles on grid x and (batch, time tile) pairs on grid y, in either layout.
 */
final class CudaConv1d {
    /** CONV_TILE and CONV_ROWS of the kernels. */
    static final int TILE = 32, ROWS = 8;
    static final int MAX_WIDTH = 4;
    /**
     * Blocks per SM for the backward: each block sums its tiles' weight gradients before one atomic
     * per weight, so fewer, longer-lived blocks mean fewer atomics on the same addresses.
     */
    static final int BACKWARD_BLOCKS_PER_SM = 8;

    private final KernelLauncher launcher;
    private final int multiprocessors;

    CudaConv1d(KernelLauncher launcher, int multiprocessors) {
        this.launcher = launcher;
        this.multiprocessors = Math.max(1, multiprocessors);
    }

    void forward(Tensor x, Tensor weight, Tensor bias, Tensor state, int batch, int channels, int length,
                 int kernelWidth, boolean channelsLast, boolean silu, Tensor out) {
        checkWidth("causalConv1d", kernelWidth);
        if ((long) batch * channels * length == 0) return;
        launcher.launch(Kernel.CONV1D_FORWARD, grid(batch, channels, length, LaunchConfig.MAX_GRID_YZ), new KernelArgs()
                .pointer(address(x)).pointer(address(weight)).pointer(orNull(bias)).pointer(orNull(state)).i32(batch)
                .i32(channels).i32(length).i32(kernelWidth).flag(channelsLast).flag(silu).pointer(address(out)),
                x, weight, bias, state, out);
    }

    void backward(Tensor x, Tensor weight, Tensor bias, Tensor state, Tensor gradOut, int batch, int channels, int length,
                  int kernelWidth, boolean channelsLast, boolean silu, Tensor dx, Tensor dWeight, Tensor dBias, Tensor dState) {
        checkWidth("causalConv1dBackward", kernelWidth);
        fill(dWeight, (long) channels * kernelWidth);   // the kernel adds block sums with atomics
        if (dBias != null) fill(dBias, channels);
        if (dState != null) fill(dState, (long) batch * channels * (kernelWidth - 1));   // in case no tile starts at 0
        if ((long) batch * channels * length == 0) return;
        int channelTiles = (channels + TILE - 1) / TILE;
        int yBlocks = Math.max(1, (BACKWARD_BLOCKS_PER_SM * multiprocessors + channelTiles - 1) / channelTiles);
        launcher.launch(Kernel.CONV1D_BACKWARD, grid(batch, channels, length, yBlocks), new KernelArgs().pointer(address(x))
                .pointer(address(weight)).pointer(orNull(bias)).pointer(orNull(state)).pointer(address(gradOut)).i32(batch)
                .i32(channels).i32(length).i32(kernelWidth).flag(channelsLast).flag(silu).pointer(address(dx))
                .pointer(address(dWeight)).pointer(orNull(dBias)).pointer(orNull(dState)),
                x, weight, bias, state, gradOut, dx, dWeight, dBias, dState);
    }

    /** Channel tiles on x; (batch, time tile) pairs on y, at most maxY blocks (grid-stride beyond). */
    private static LaunchConfig grid(int batch, int channels, int length, int maxY) {
        long pairs = (long) batch * ((length + TILE - 1) / TILE);
        return LaunchConfig.of((channels + TILE - 1) / TILE, (int) Math.min(pairs, Math.min(maxY, LaunchConfig.MAX_GRID_YZ)), 1,
                TILE, ROWS, 1);
    }

    private static void checkWidth(String op, int kernelWidth) {
        if (kernelWidth < 1 || kernelWidth > MAX_WIDTH)
            throw new IllegalArgumentException(op + ": kernel width must be in [1, " + MAX_WIDTH + "], got " + kernelWidth);
    }

    private void fill(Tensor t, long n) {
        launcher.launch(Kernel.FILL, LaunchConfig.elementwise(n), new KernelArgs().pointer(address(t)).i64(n).f32(0f), t);
    }
}
