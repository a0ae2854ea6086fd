package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;

import io.recur.tensor.Tensor;

/**
 * Host side of the local attention kernels (kernels/local_attention.cu): the forward and the dq
 * pass run a block per (query tile, head, batch element); the dk/dv pass a block per (key tile,
 * batch element). The dq pass leaves delta = dOut · out per query row in a scratch block that the
 * dk/dv pass reads.
 */
final class CudaLocalAttention {
    /** LA_ROWS and LA_MAX_DIM of the kernels. */
    static final int ROWS = 64, MAX_DIM = 256;

    private final KernelLauncher launcher;
    private final CachingAllocator allocator;

    CudaLocalAttention(KernelLauncher launcher, CachingAllocator allocator) {
        this.launcher = launcher;
        this.allocator = allocator;
    }

    void forward(Tensor q, Tensor k, Tensor v, int batch, int length, int heads, int dim, int window, float scale,
                 Tensor out, Tensor lse) {
        check("localAttention", batch, length, heads, dim);
        if ((long) batch * length * heads == 0) return;
        launcher.launch(Kernel.LOCAL_ATTENTION_FORWARD, queryTiles(batch, length, heads), new KernelArgs().pointer(address(q))
                .pointer(address(k)).pointer(address(v)).i32(batch).i32(length).i32(heads).i32(dim).i32(window).f32(scale)
                .pointer(address(out)).pointer(address(lse)), q, k, v, out, lse);
    }

    void backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut, int batch, int length, int heads, int dim,
                  int window, float scale, Tensor dq, Tensor dk, Tensor dv) {
        check("localAttentionBackward", batch, length, heads, dim);
        if ((long) batch * length * heads == 0) return;
        long delta = allocator.allocate((long) batch * heads * length * Float.BYTES);
        try {
            launcher.launch(Kernel.LOCAL_ATTENTION_BACKWARD_DQ, queryTiles(batch, length, heads), new KernelArgs()
                    .pointer(address(q)).pointer(address(k)).pointer(address(v)).pointer(address(out)).pointer(address(lse))
                    .pointer(address(dOut)).i32(batch).i32(length).i32(heads).i32(dim).i32(window).f32(scale)
                    .pointer(address(dq)).pointer(delta), q, k, v, out, lse, dOut, dq);
            launcher.launch(Kernel.LOCAL_ATTENTION_BACKWARD_DKDV, LaunchConfig.of(tiles(length), batch, 1, ROWS, 1, 1),
                    new KernelArgs().pointer(address(q)).pointer(address(k)).pointer(address(v)).pointer(address(lse))
                            .pointer(delta).pointer(address(dOut)).i32(batch).i32(length).i32(heads).i32(dim).i32(window)
                            .f32(scale).pointer(address(dk)).pointer(address(dv)), q, k, v, lse, dOut, dk, dv);
        } finally {
            allocator.free(delta);   // stream order makes the block safe to reuse at once
        }
    }

    private static LaunchConfig queryTiles(int batch, int length, int heads) {
        return LaunchConfig.of(tiles(length), heads, batch, ROWS, 1, 1);
    }

    private static int tiles(int length) { return (length + ROWS - 1) / ROWS; }

    private static void check(String op, int batch, int length, int heads, int dim) {
        if (dim > MAX_DIM)
            throw new IllegalArgumentException(op + ": head_dim " + dim + " is over the CUDA kernel's limit of " + MAX_DIM);
        if (heads > LaunchConfig.MAX_GRID_YZ || batch > LaunchConfig.MAX_GRID_YZ)
            throw new IllegalArgumentException(op + ": heads " + heads + " and batch " + batch + " must be at most "
                    + LaunchConfig.MAX_GRID_YZ + " (grid y and z)");
    }
}
