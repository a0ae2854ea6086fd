package io.recur.backend.cuda;

import static io.recur.backend.cuda.CudaBackend.address;
import static io.recur.backend.cuda.CudaBackend.orNull;

import io.recur.backend.SelectiveScanArgs;
import io.recur.backend.SelectiveScanGrads;
import io.recur.tensor.Tensor;

/**
 * Host side of the selective scan kernels (kernels/selective_scan.cu): one block per (batch,
 * channel), channels on grid x, batch on grid y (the kernels loop beyond 65535), threads sized to
 * the chunk. The backward clears the gradients that blocks add into atomically first.
 */
final class CudaSelectiveScan {
    /** SS_MAX_CHUNK in selective_scan.cuh: the shared arrays hold one chunk. */
    static final int MAX_CHUNK = 1024;

    private final KernelLauncher launcher;

    CudaSelectiveScan(KernelLauncher launcher) { this.launcher = launcher; }

    /** 32 … 256 threads, SCAN_ITEMS (4) steps each per pass over a chunk. */
    static int threads(SelectiveScanArgs args) {
        int steps = Math.min(args.chunkLength(), args.length()), threads = 32;
        while (threads < CudaScans.MAX_THREADS && threads * CudaScans.ITEMS < steps) threads *= 2;
        return threads;
    }

    private static LaunchConfig grid(SelectiveScanArgs args) {
        return LaunchConfig.of(args.dim(), Math.min(args.batch(), LaunchConfig.MAX_GRID_YZ), 1, threads(args), 1, 1);
    }

    private static void checkChunk(SelectiveScanArgs args) {
        if (args.chunkLength() > MAX_CHUNK && args.length() > MAX_CHUNK)
            throw new IllegalArgumentException("selectiveScan on CUDA: chunk length " + args.chunkLength()
                    + " exceeds the kernels' " + MAX_CHUNK + " (one chunk sits in shared memory); choose a shorter chunk");
    }

    /** The arguments both kernels start with: inputs, sizes and options. */
    private static KernelArgs common(SelectiveScanArgs a) {
        return new KernelArgs().pointer(address(a.u())).pointer(address(a.delta())).pointer(address(a.a()))
                .pointer(address(a.b())).pointer(address(a.c())).pointer(orNull(a.d())).pointer(orNull(a.z()))
                .pointer(orNull(a.deltaBias())).pointer(orNull(a.h0())).i32(a.batch()).i32(a.dim()).i32(a.length())
                .i32(a.stateSize()).i32(a.variableB() ? a.groupsB() : 0).i32(a.variableC() ? a.groupsC() : 0)
                .flag(a.deltaSoftplus()).i32(Math.min(a.chunkLength(), a.length())).i32(a.chunks());
    }

    void forward(SelectiveScanArgs a, Tensor out, Tensor checkpoints, Tensor lastState) {
        checkChunk(a);
        a.checkForward(out, checkpoints, lastState);
        launcher.launch(Kernel.SELECTIVE_SCAN_FWD, grid(a), common(a).pointer(address(out)).pointer(orNull(checkpoints))
                .pointer(orNull(lastState)), a.u(), a.delta(), a.a(), a.b(), a.c(), out, checkpoints, lastState);
    }

    void backward(SelectiveScanArgs a, Tensor checkpoints, Tensor dOut, Tensor dLast, SelectiveScanGrads g) {
        checkChunk(a);
        a.checkBackward(checkpoints, dOut, dLast);
        g.check(a);
        for (Tensor t : new Tensor[] {g.dA(), g.dB(), g.dC(), g.dD(), g.dDeltaBias()}) if (t != null) clear(t);
        launcher.launch(Kernel.SELECTIVE_SCAN_BWD, grid(a), common(a).pointer(orNull(checkpoints)).pointer(address(dOut))
                .pointer(orNull(dLast)).pointer(address(g.du())).pointer(address(g.dDelta())).pointer(address(g.dA()))
                .pointer(address(g.dB())).pointer(address(g.dC())).pointer(orNull(g.dD())).pointer(orNull(g.dz()))
                .pointer(orNull(g.dDeltaBias())).pointer(orNull(g.dh0())), a.u(), a.delta(), a.a(), a.b(), a.c(), dOut,
                g.du(), g.dDelta(), g.dA(), g.dB(), g.dC());
    }

    private void clear(Tensor t) {
        launcher.launch(Kernel.FILL, LaunchConfig.elementwise(t.size()), new KernelArgs().pointer(address(t)).i64(t.size()).f32(0f), t);
    }
}
