package io.recur.backend.cuda;

import io.recur.backend.Backend;
import io.recur.backend.BackendStatus;
import io.recur.backend.BinaryOp;
import io.recur.backend.BlockTerms;
import io.recur.backend.EPropStepArgs;
import io.recur.backend.MemoryStats;
import io.recur.backend.RootSettings;
import io.recur.backend.ScalarOp;
import io.recur.backend.SelectiveScanArgs;
import io.recur.backend.SelectiveScanGrads;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA backend: every primitive of {@link Backend} as a kernel of kernels/*.cu, launched through
 * a {@link CudaDriver} (JCuda on a GPU, a simulation elsewhere). Memory comes from a
 * {@link CachingAllocator}; everything runs in order on one stream. Kernels that only move data
 * (broadcastTo, copyBlock, transpose) work in 32-bit words, so they serve every dtype.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    private static final int TILE = 32;

    private final String name;
    private final CudaDriver driver;
    private final CachingAllocator allocator;
    private final KernelLauncher launcher;
    private final KernelGemm ownGemm;
    private final CudaScans scans;
    private final CudaRoots symmetricRoutines;
    private final CudaRgLru rgLru;
    private final CudaLocalAttention localAttention;
    private final CudaConv1d conv1d;
    private final CudaKalman kalman;

    private final CudaSelectiveScan selectiveScan;
    private final GemmEngine gemm;
    private final String gemmNote;
    private volatile boolean processWide;

    /**
     * @param gemm     cuBLAS, or null to use the own SGEMM kernel
     * @param gemmNote why the own SGEMM is used (empty when cuBLAS is)
     */
    CudaBackend(CudaDriver driver, KernelLauncher launcher, GemmEngine gemm, String gemmNote) {
        this("cuda", driver, launcher, gemm, gemmNote);
    }

    /** @param name what {@link #name()} says, e.g. "cuda-sim[seed=7]" for a simulation with a shuffled order */
    CudaBackend(String name, CudaDriver driver, KernelLauncher launcher, GemmEngine gemm, String gemmNote) {
        this.name = name;
        this.driver = driver;
        this.allocator = new CachingAllocator(driver);
        this.launcher = launcher;
        this.ownGemm = new KernelGemm(launcher);
        this.scans = new CudaScans(launcher, allocator, driver.deviceInfo().multiprocessors());
        this.symmetricRoutines = new CudaRoots(launcher, allocator, driver.deviceInfo().multiprocessors());
        this.rgLru = new CudaRgLru(launcher, allocator, driver.deviceInfo().multiprocessors());
        this.localAttention = new CudaLocalAttention(launcher, allocator);
        this.conv1d = new CudaConv1d(launcher, driver.deviceInfo().multiprocessors());
        this.kalman = new CudaKalman(launcher, allocator);

        this.selectiveScan = new CudaSelectiveScan(launcher);
        this.gemm = gemm != null ? gemm : ownGemm;
        this.gemmNote = gemmNote == null ? "" : gemmNote;
    }

    /** A backend over any driver, with the own SGEMM; loads every kernel module now. */
    public static CudaBackend withOwnGemm(CudaDriver driver, String why) { return withOwnGemm("cuda", driver, why); }

    /** As {@link #withOwnGemm(CudaDriver, String)}, under another name. */
    public static CudaBackend withOwnGemm(String name, CudaDriver driver, String why) {
        KernelLauncher launcher = new KernelLauncher(driver, KernelLauncher.debugRequested());
        launcher.loadAll();
        return new CudaBackend(name, driver, launcher, null, why);
    }

    @Override public String name() { return name; }

    /** The name, so that a parameterized test's display name says which CUDA (and which order seed) failed. */
    @Override public String toString() { return name; }

    /** Whether the kernels run in the CPU simulation rather than on a GPU. */
    public boolean simulated() { return driver.simulation().isPresent(); }

    @Override
    public String description() {
        CudaDriver.DeviceInfo d = driver.deviceInfo();
        if (simulated())
            return String.format("CUDA kernels simulated on the CPU (%s), PTX ISA %s entries, %s", driver.simulation().orElseThrow(),
                    launcher.ptxIsaVersion(), gemm.name());
        return String.format("CUDA on %s (compute capability %s, %.1f GiB), PTX ISA %s, %s", d.name(), d.computeCapability(),
                d.totalMemory() / (double) (1L << 30), launcher.ptxIsaVersion(), gemm.name());
    }

    @Override
    public BackendStatus status() {
        if (simulated()) return simulatedStatus();
        CudaDriver.DeviceInfo d = driver.deviceInfo();
        List<String> details = new ArrayList<>();
        details.add("device: " + d.name() + ", compute capability " + d.computeCapability() + ", " + d.multiprocessors() + " SMs");
        details.add(String.format("memory: %.1f GiB", d.totalMemory() / (double) (1L << 30)));
        String nvrm = DriverDiagnosis.kernelModuleVersion();
        details.add("driver: supports CUDA " + d.driverCudaVersion() + (nvrm.isEmpty() ? "" : " (NVIDIA driver " + nvrm + ")"));
        details.add("kernels: PTX ISA " + launcher.ptxIsaVersion() + ", JIT-compiled by the driver");
        details.add("GEMM: " + gemm.name() + (gemmNote.isEmpty() ? "" : " (" + gemmNote + ")"));
        if (launcher.debug()) details.add("debug: every launch is synchronized and checked");
        return BackendStatus.available(name, details);
    }

    private BackendStatus simulatedStatus() {
        CudaDriver.DeviceInfo d = driver.deviceInfo();
        List<String> details = new ArrayList<>();
        details.add("simulated on the CPU: " + driver.simulation().orElseThrow());
        details.add("device: " + d.name() + ", behaves as compute capability " + d.computeCapability());
        details.add(String.format("memory: host memory, %.1f GiB", d.totalMemory() / (double) (1L << 30)));
        details.add("kernels: kernels/*.cu compiled for the CPU by native/, checked against the PTX ISA " + launcher.ptxIsaVersion() + " entries");
        details.add("GEMM: " + gemm.name() + (gemmNote.isEmpty() ? "" : " (" + gemmNote + ")"));
        if (launcher.debug()) details.add("debug: every launch is synchronized and checked");
        return BackendStatus.available(name, details);
    }

    /** "cuBLAS" or "own SGEMM". */
    public String gemmName() { return gemm.name(); }

    KernelGemm ownGemm() { return ownGemm; }

    CachingAllocator allocator() { return allocator; }

    /** Returns cached device memory to the driver (tensors that are alive keep theirs). */
    public void emptyCache() { allocator.emptyCache(); }

    // ---- memory and transfers ------------------------------------------------------------------

    @Override
    public Tensor allocate(Shape shape, DType dtype) {
        return Tensor.wrap(this, new CudaStorage(allocator, dtype, shape.size()), shape);
    }

    @Override
    public Tensor fromArray(float[] data, Shape shape) {
        Tensor t = allocateFor(data.length, shape, DType.F32);
        driver.copyToDevice(data, address(t));
        return t;
    }

    @Override
    public Tensor fromArray(int[] data, Shape shape) {
        Tensor t = allocateFor(data.length, shape, DType.I32);
        driver.copyToDevice(data, address(t));
        return t;
    }

    @Override
    public Tensor fromArray(long[] data, Shape shape) {
        Tensor t = allocateFor(data.length, shape, DType.I64);
        driver.copyToDevice(data, address(t));
        return t;
    }

    private Tensor allocateFor(int length, Shape shape, DType dtype) {
        if (length != shape.size()) throw new IllegalArgumentException(length + " values do not fill shape " + shape);
        return allocate(shape, dtype);
    }

    @Override
    public float[] toFloatArray(Tensor t) {
        float[] out = new float[expect(t, DType.F32).shape().intSize()];
        driver.copyToHost(address(t), out);
        return out;
    }

    @Override
    public int[] toIntArray(Tensor t) {
        int[] out = new int[expect(t, DType.I32).shape().intSize()];
        driver.copyToHost(address(t), out);
        return out;
    }

    @Override
    public long[] toLongArray(Tensor t) {
        long[] out = new long[expect(t, DType.I64).shape().intSize()];
        driver.copyToHost(address(t), out);
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.dtype() != dst.dtype() || src.size() != dst.size())
            throw new IllegalArgumentException("copy from " + src + " to " + dst + ": dtype and size must match");
        driver.copyDeviceToDevice(address(src), address(dst), src.size() * src.dtype().bytes());
    }

    @Override
    public void fill(Tensor t, float value) {
        expect(t, DType.F32);
        launcher.launch(Kernel.FILL, LaunchConfig.elementwise(t.size()), new KernelArgs().pointer(address(t)).i64(t.size()).f32(value), t);
    }

    @Override public void synchronize() { driver.synchronize(); }

    @Override public MemoryStats memoryStats() { return allocator.stats(); }

    // ---- linear algebra ------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Tensor a, long strideA,
                     Tensor b, long strideB, float beta, Tensor c, long strideC) {
        gemm.gemm(transA, transB, batch, m, n, k, alpha, address(a), strideA, address(b), strideB, beta, address(c), strideC);
    }

    // ---- elementwise ---------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor y) {
        launcher.launch(Kernel.UNARY, LaunchConfig.elementwise(x.size()),
                new KernelArgs().i32(OpCodes.unary(op)).pointer(address(x)).pointer(address(y)).i64(x.size()), x, y);
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        launcher.launch(Kernel.UNARY_BACKWARD, LaunchConfig.elementwise(x.size()), new KernelArgs().i32(OpCodes.unary(op))
                .pointer(address(x)).pointer(address(y)).pointer(address(dy)).pointer(address(dx)).i64(x.size()), x, y, dy, dx);
    }

    @Override
    public void scalar(ScalarOp op, Tensor x, float s, Tensor y) {
        launcher.launch(Kernel.SCALAR, LaunchConfig.elementwise(x.size()),
                new KernelArgs().i32(OpCodes.scalar(op)).pointer(address(x)).f32(s).pointer(address(y)).i64(x.size()), x, y);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int[] layout = IndexLayout.binary(a.shape(), b.shape(), out.shape());
        launcher.launch(Kernel.BINARY, LaunchConfig.elementwise(out.size()), new KernelArgs().i32(OpCodes.binary(op))
                .pointer(address(a)).pointer(address(b)).pointer(address(out)).i64(out.size()).intStruct(layout), a, b, out);
    }

    @Override
    public void binaryBackward(BinaryOp op, Tensor a, Tensor b, Tensor dOut, boolean wrtA, Tensor dInput) {
        int[] layout = IndexLayout.binary(a.shape(), b.shape(), dOut.shape());
        long n = dOut.size();
        boolean broadcast = dInput.size() != n;  // the operand repeats: per-position gradients need summing
        long grad = broadcast ? allocator.allocate(n * 4) : address(dInput);
        try {
            launcher.launch(Kernel.BINARY_BACKWARD, LaunchConfig.elementwise(n), new KernelArgs().i32(OpCodes.binary(op))
                    .pointer(address(a)).pointer(address(b)).pointer(address(dOut)).flag(wrtA).pointer(grad).i64(n)
                    .intStruct(layout), a, b, dOut, dInput);
            if (broadcast) sumTo(grad, dOut.shape(), address(dInput), dInput.shape(), dInput);
        } finally {
            if (broadcast) allocator.free(grad);  // stream order makes the block safe to reuse at once
        }
    }

    @Override
    public void sumTo(Tensor x, Tensor out) { sumTo(address(x), x.shape(), address(out), out.shape(), x, out); }

    private void sumTo(long x, Shape xShape, long out, Shape outShape, Tensor... named) {
        IndexLayout.SumPlan plan = IndexLayout.sumTo(xShape, outShape);
        // Coalesced per-thread sums when outputs are many and adjacent in x; a block per output otherwise.
        boolean perBlock = plan.count() >= 64 && !(plan.contiguousOutputs() && plan.outputs() >= 1024);
        LaunchConfig cfg = perBlock ? LaunchConfig.rows(plan.outputs(), (int) Math.min(plan.count(), 512))
                : LaunchConfig.elementwise(plan.outputs());
        launcher.launch(perBlock ? Kernel.SUM_TO_BLOCK : Kernel.SUM_TO_THREAD, cfg, new KernelArgs().pointer(x).pointer(out)
                .i64(plan.outputs()).intStruct(plan.kept()).intStruct(plan.reduced()).i64(plan.count()), named);
    }

    @Override
    public void broadcastTo(Tensor x, Tensor out) {
        int words = words(x);
        int[] layout = IndexLayout.broadcastTo(x.shape(), out.shape(), words);
        long n = out.size() * words;
        launcher.launch(Kernel.BROADCAST_TO, LaunchConfig.elementwise(n),
                new KernelArgs().pointer(address(x)).pointer(address(out)).i64(n).intStruct(layout), x, out);
    }

    @Override
    public void maxAxis(Tensor x, int outer, int n, int inner, Tensor out, Tensor argmax) {
        if (n == 0) throw new IllegalArgumentException("maxAxis over an empty axis of " + x);
        launcher.launch(Kernel.MAX_AXIS, LaunchConfig.elementwise((long) outer * inner), new KernelArgs().pointer(address(x))
                .i32(outer).i32(n).i32(inner).pointer(address(out)).pointer(argmax == null ? 0 : address(argmax)), x, out, argmax);
    }

    // ---- softmax and losses --------------------------------------------------------------------

    @Override
    public void softmax(Tensor x, int rows, int cols, boolean log, Tensor y) {
        launcher.launch(Kernel.SOFTMAX, LaunchConfig.rows(rows, cols),
                new KernelArgs().pointer(address(x)).i32(rows).i32(cols).flag(log).pointer(address(y)), x, y);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, int rows, int cols, boolean log, Tensor dx) {
        launcher.launch(Kernel.SOFTMAX_BACKWARD, LaunchConfig.rows(rows, cols), new KernelArgs().pointer(address(y))
                .pointer(address(dy)).i32(rows).i32(cols).flag(log).pointer(address(dx)), y, dy, dx);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int rows, int classes, int ignoreIndex, Tensor losses) {
        launcher.launch(Kernel.CROSS_ENTROPY, LaunchConfig.rows(rows, classes), new KernelArgs().pointer(address(logits))
                .pointer(address(targets)).i32(rows).i32(classes).i32(ignoreIndex).pointer(address(losses)), logits, targets, losses);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, Tensor dLosses, int rows, int classes, int ignoreIndex,
                                     Tensor dLogits) {
        launcher.launch(Kernel.CROSS_ENTROPY_BACKWARD, LaunchConfig.rows(rows, classes), new KernelArgs()
                .pointer(address(logits)).pointer(address(targets)).pointer(address(dLosses)).i32(rows).i32(classes)
                .i32(ignoreIndex).pointer(address(dLogits)), logits, targets, dLosses, dLogits);
    }

    // ---- indexing ------------------------------------------------------------------------------

    @Override
    public void gather(Tensor x, int outer, int n, int inner, Tensor index, int m, Tensor out) {
        launcher.launch(Kernel.GATHER, LaunchConfig.elementwise((long) outer * m * inner), new KernelArgs().pointer(address(x))
                .i32(outer).i32(n).i32(inner).pointer(address(index)).i32(m).pointer(address(out)), x, index, out);
    }

    @Override
    public void scatterAdd(Tensor dOut, int outer, int n, int inner, Tensor index, int m, Tensor dx) {
        launcher.launch(Kernel.SCATTER_ADD, LaunchConfig.elementwise((long) outer * m * inner), new KernelArgs()
                .pointer(address(dOut)).i32(outer).i32(n).i32(inner).pointer(address(index)).i32(m).pointer(address(dx)), dOut, index, dx);
    }

    @Override
    public void embedding(Tensor weight, Tensor indices, int count, int dim, Tensor out) {
        if (dim == 0) return;
        int vocab = (int) (weight.size() / dim);
        launcher.launch(Kernel.EMBEDDING, LaunchConfig.elementwise((long) count * dim), new KernelArgs().pointer(address(weight))
                .i32(vocab).pointer(address(indices)).i32(count).i32(dim).pointer(address(out)), weight, indices, out);
    }

    @Override
    public void embeddingBackward(Tensor dOut, Tensor indices, int count, int dim, Tensor dWeight) {
        if (dim == 0) return;
        int vocab = (int) (dWeight.size() / dim);
        launcher.launch(Kernel.EMBEDDING_BACKWARD, LaunchConfig.elementwise((long) count * dim), new KernelArgs()
                .pointer(address(dOut)).pointer(address(indices)).i32(count).i32(dim).i32(vocab).pointer(address(dWeight)),
                dOut, indices, dWeight);
    }

    @Override
    public void copyBlock(Tensor src, int srcLen, int srcStart, Tensor dst, int dstLen, int dstStart, int outer, int len,
                          int inner, boolean accumulate) {
        if (accumulate && src.dtype() != DType.F32) throw new IllegalArgumentException("copyBlock accumulates float32 only, not " + src);
        int words = words(src);
        long innerWords = (long) inner * words;
        launcher.launch(Kernel.COPY_BLOCK, LaunchConfig.elementwise((long) outer * len * innerWords), new KernelArgs()
                .pointer(address(src)).i32(srcLen).i32(srcStart).pointer(address(dst)).i32(dstLen).i32(dstStart)
                .i32(outer).i32(len).i32(Math.toIntExact(innerWords)).flag(accumulate), src, dst);
    }

    @Override
    public void transpose(Tensor src, int p, int m, int q, int n, int r, Tensor dst) {
        int words = words(src);
        int rw = Math.multiplyExact(r, words);
        int rowTiles = (m + TILE - 1) / TILE;
        if ((long) p * m * q * n * rw == 0) return;
        if (rw == 1 && rowTiles <= LaunchConfig.MAX_GRID_YZ) {
            LaunchConfig cfg = LaunchConfig.of((n + TILE - 1) / TILE, rowTiles,
                    (int) Math.min((long) p * q, LaunchConfig.MAX_GRID_YZ), TILE, 8, 1);
            launcher.launch(Kernel.TRANSPOSE_TILED, cfg, new KernelArgs().pointer(address(src)).i32(p).i32(m).i32(q).i32(n)
                    .pointer(address(dst)), src, dst);
        } else {
            launcher.launch(Kernel.TRANSPOSE, LaunchConfig.elementwise((long) p * m * q * n * rw), new KernelArgs()
                    .pointer(address(src)).i32(p).i32(m).i32(q).i32(n).i32(rw).pointer(address(dst)), src, dst);
        }
    }

    // ---- normalisation -------------------------------------------------------------------------

    @Override
    public void rmsNorm(Tensor x, Tensor weight, int rows, int dim, float eps, Tensor y, Tensor rstd) {
        normForward(x, weight, null, rows, dim, eps, y, null, rstd);
    }

    @Override
    public void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor dy, int rows, int dim, Tensor dx, Tensor dWeight) {
        normBackward(x, weight, null, rstd, dy, rows, dim, dx, dWeight, null);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, int rows, int dim, float eps, Tensor y, Tensor mean, Tensor rstd) {
        normForward(x, weight, bias, rows, dim, eps, y, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor dy, int rows, int dim, Tensor dx,
                                  Tensor dWeight, Tensor dBias) {
        normBackward(x, weight, mean, rstd, dy, rows, dim, dx, dWeight, dBias);
    }

    /** LayerNorm when mean is given (centred, with bias), RMSNorm when it is null. */
    private void normForward(Tensor x, Tensor weight, Tensor bias, int rows, int dim, float eps, Tensor y, Tensor mean, Tensor rstd) {
        if (dim == 0) return;
        launcher.launch(Kernel.NORM_FORWARD, LaunchConfig.rows(rows, dim), new KernelArgs().pointer(address(x))
                .pointer(address(weight)).pointer(orNull(bias)).i32(rows).i32(dim).f32(eps).flag(mean != null)
                .pointer(address(y)).pointer(orNull(mean)).pointer(address(rstd)), x, weight, bias, y, mean, rstd);
    }

    private void normBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor dy, int rows, int dim, Tensor dx,
                              Tensor dWeight, Tensor dBias) {
        if (dim == 0) return;
        // Weight and bias gradients first: they read dy, which dx may share memory with.
        int colBlocks = (dim + TILE - 1) / TILE;
        int rowChunks = (int) Math.max(1, Math.min(rows / 512, 64));
        launcher.launch(Kernel.NORM_AFFINE_GRAD, LaunchConfig.of(colBlocks, rowChunks, 1, TILE, 8, 1), new KernelArgs()
                .pointer(address(x)).pointer(orNull(mean)).pointer(address(rstd)).pointer(address(dy)).i32(rows).i32(dim)
                .pointer(address(dWeight)).pointer(orNull(dBias)), x, mean, rstd, dy, dWeight, dBias);
        launcher.launch(Kernel.NORM_BACKWARD, LaunchConfig.rows(rows, dim), new KernelArgs().pointer(address(x))
                .pointer(address(weight)).pointer(orNull(mean)).pointer(address(rstd)).pointer(address(dy)).i32(rows).i32(dim)
                .pointer(address(dx)), x, weight, mean, rstd, dy, dx);
    }

    // ---- scans ---------------------------------------------------------------------------------

    @Override
    public void linearScan(Tensor a, Tensor b, Tensor h0, Tensor resets, int rows, int length, boolean reverse, Tensor h) {
        scans.linearScan(a, b, h0, resets, rows, length, reverse, h);
    }

    @Override
    public void linearScanBackward(Tensor a, Tensor h, Tensor h0, Tensor resets, Tensor gradH, int rows, int length,
                                   boolean reverse, Tensor da, Tensor db, Tensor dh0) {
        scans.linearScanBackward(a, h, h0, resets, gradH, rows, length, reverse, da, db, dh0);
    }

    @Override
    public void matrixScan(Tensor a, Tensor b, Tensor h0, int rows, int length, int n, boolean reverse, Tensor h) {
        scans.matrixScan(a, b, h0, rows, length, n, reverse, h);
    }

    @Override
    public void matrixScanBackward(Tensor a, Tensor h, Tensor h0, Tensor gradH, int rows, int length, int n, boolean reverse,
                                   Tensor dA, Tensor db, Tensor dh0) {
        scans.matrixScanBackward(a, h, h0, gradH, rows, length, n, reverse, dA, db, dh0);
    }

    // ---- e-prop ------------------------------------------------------------------------------

    @Override
    public void lstmCell(Tensor gx, Tensor gh, Tensor cPrev, int rows, int hidden, Tensor h, Tensor c, Tensor saved) {
        launcher.launch(Kernel.LSTM_CELL, LaunchConfig.elementwise((long) rows * hidden), new KernelArgs()
                .pointer(address(gx)).pointer(orNull(gh)).pointer(address(cPrev)).i32(rows).i32(hidden)
                .pointer(address(h)).pointer(address(c)).pointer(orNull(saved)), gx, gh, cPrev, h, c, saved);
    }

    @Override
    public void lstmCellBackward(Tensor cPrev, Tensor saved, Tensor dH, Tensor dC, int rows, int hidden, Tensor dGates, Tensor dCPrev) {
        launcher.launch(Kernel.LSTM_CELL_BACKWARD, LaunchConfig.elementwise((long) rows * hidden), new KernelArgs()
                .pointer(address(cPrev)).pointer(address(saved)).pointer(address(dH)).pointer(address(dC)).i32(rows).i32(hidden)
                .pointer(address(dGates)).pointer(address(dCPrev)), cPrev, saved, dH, dC, dGates, dCPrev);
    }

    @Override
    public void gruCell(Tensor gx, Tensor gh, Tensor hPrev, int rows, int hidden, Tensor h, Tensor saved) {
        launcher.launch(Kernel.GRU_CELL, LaunchConfig.elementwise((long) rows * hidden), new KernelArgs()
                .pointer(address(gx)).pointer(address(gh)).pointer(address(hPrev)).i32(rows).i32(hidden)
                .pointer(address(h)).pointer(orNull(saved)), gx, gh, hPrev, h, saved);
    }

    @Override
    public void gruCellBackward(Tensor gh, Tensor hPrev, Tensor saved, Tensor dH, int rows, int hidden,
                                Tensor dGx, Tensor dGh, Tensor dHPrev) {
        launcher.launch(Kernel.GRU_CELL_BACKWARD, LaunchConfig.elementwise((long) rows * hidden), new KernelArgs()
                .pointer(address(gh)).pointer(address(hPrev)).pointer(address(saved)).pointer(address(dH)).i32(rows).i32(hidden)
                .pointer(address(dGx)).pointer(address(dGh)).pointer(address(dHPrev)), gh, hPrev, saved, dH, dGx, dGh, dHPrev);
    }

    @Override
    public void epropStep(EPropStepArgs p) {
        long synapses = (long) p.neurons() * p.presynaptic();
        launcher.launch(Kernel.EPROP_STEP, LaunchConfig.elementwise(synapses), new KernelArgs()
                .pointer(address(p.current())).pointer(address(p.x())).pointer(address(p.v0())).pointer(address(p.a0()))
                .pointer(address(p.z0())).pointer(address(p.r0())).pointer(address(p.psi0())).pointer(address(p.v1()))
                .pointer(address(p.a1())).pointer(address(p.z1())).pointer(address(p.r1())).pointer(address(p.psi1()))
                .pointer(address(p.ev0())).pointer(address(p.ev1())).pointer(address(p.adapt())).pointer(address(p.filtered()))
                .pointer(address(p.signal())).pointer(address(p.grad())).pointer(address(p.eSum()))
                .i32(p.batch()).i32(p.neurons()).i32(p.lif()).i32(p.inputs()).i32(p.presynaptic()).i32(p.refractorySteps())
                .flag(p.flush()).f32(p.alpha()).f32(p.rho()).f32(p.kappa()).f32(p.threshold()).f32(p.beta()).f32(p.gamma()),
                p.current(), p.x(), p.v0(), p.a0(), p.z0(), p.r0(), p.psi0(), p.v1(), p.a1(), p.z1(), p.r1(), p.psi1(),
                p.ev0(), p.ev1(), p.adapt(), p.filtered(), p.signal(), p.grad(), p.eSum());
    }

    // ---- DEER Jacobians ---------------------------------------------------------------------------

    /**
     * Blocks of (columns, rows, matrices) threads, up to 512 of a matrix's elements and whole small
     * matrices side by side up to 256 threads (see kernels/deer.cu); a few waves of blocks per SM,
     * each looping over its share of the matrices.
     */
    @Override
    public void rowScaledBlocks(Tensor coefficients, Tensor weight, BlockTerms terms, int matrices, int n, Tensor out) {
        int side = terms.blocks() * n;
        int cols = Math.min(side, 512), rows = Math.min(side, 512 / cols);
        int mats = Math.clamp(256 / (cols * rows), 1, 64);
        int gridX = Math.min(LaunchConfig.blocks(matrices, mats), 32 * Math.max(1, driver.deviceInfo().multiprocessors()));
        int gridY = Math.min((side + rows - 1) / rows, LaunchConfig.MAX_GRID_YZ);
        launcher.launch(Kernel.ROW_SCALED_BLOCKS, LaunchConfig.of(gridX, gridY, 1, cols, rows, mats), new KernelArgs()
                .pointer(address(coefficients)).pointer(address(weight)).i32(matrices).i32(n).intStruct(packed(terms))
                .pointer(address(out)), coefficients, weight, out);
    }

    /** terms as kernels/deer.cu's struct BlockTerms: count, blocks, then rows, columns and weight blocks, each padded to MAX_TERMS. */
    private static int[] packed(BlockTerms terms) {
        int max = BlockTerms.MAX_TERMS;
        int[] p = new int[2 + 3 * max];
        p[0] = terms.count();
        p[1] = terms.blocks();
        for (int k = 0; k < terms.count(); k++) {
            p[2 + k] = terms.row(k);
            p[2 + max + k] = terms.col(k);
            p[2 + 2 * max + k] = terms.weightBlock(k);
        }
        return p;
    }

    // ---- RG-LRU and causal conv1d --------------------------------------------------------------

    @Override
    public void localAttention(Tensor q, Tensor k, Tensor v, int batch, int length, int heads, int headDim, int window, float scale,
                               Tensor out, Tensor lse) {
        localAttention.forward(q, k, v, batch, length, heads, headDim, window, scale, out, lse);
    }

    @Override
    public void localAttentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut, int batch, int length,
                                       int heads, int headDim, int window, float scale, Tensor dq, Tensor dk, Tensor dv) {
        localAttention.backward(q, k, v, out, lse, dOut, batch, length, heads, headDim, window, scale, dq, dk, dv);
    }

    @Override
    public void rgLru(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0,
                      int batch, int length, int width, Tensor h) {
        rgLru.forward(x, gateXPre, gateAPre, lambda, resets, h0, batch, length, width, h);
    }

    @Override
    public void rgLruBackward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0, Tensor h,
                              Tensor gradH, int batch, int length, int width,
                              Tensor dx, Tensor dGateXPre, Tensor dGateAPre, Tensor dLambda, Tensor dh0) {
        rgLru.backward(x, gateXPre, gateAPre, lambda, resets, h0, h, gradH, batch, length, width,
                dx, dGateXPre, dGateAPre, dLambda, dh0);
    }

    @Override
    public void causalConv1d(Tensor x, Tensor weight, Tensor bias, Tensor state, int batch, int channels, int length,
                             int kernelWidth, boolean channelsLast, boolean silu, Tensor out) {
        conv1d.forward(x, weight, bias, state, batch, channels, length, kernelWidth, channelsLast, silu, out);
    }

    @Override
    public void causalConv1dBackward(Tensor x, Tensor weight, Tensor bias, Tensor state, Tensor gradOut, int batch,
                                     int channels, int length, int kernelWidth, boolean channelsLast, boolean silu,
                                     Tensor dx, Tensor dWeight, Tensor dBias, Tensor dState) {
        conv1d.backward(x, weight, bias, state, gradOut, batch, channels, length, kernelWidth, channelsLast, silu,
                dx, dWeight, dBias, dState);
    }

    // ---- selective scan (Mamba S6) -------------------------------------------------------------

    @Override
    public void selectiveScan(SelectiveScanArgs args, Tensor out, Tensor checkpoints, Tensor lastState) {
        selectiveScan.forward(args, out, checkpoints, lastState);
    }

    @Override
    public void selectiveScanBackward(SelectiveScanArgs args, Tensor checkpoints, Tensor dOut, Tensor dLastState,
                                      SelectiveScanGrads grads) {
        selectiveScan.backward(args, checkpoints, dOut, dLastState, grads);
    }

    // ---- random numbers ------------------------------------------------------------------------

    @Override
    public void randomUniform(Tensor t, long seed, long offset, float lo, float hi) {
        float range = hi - lo;  // in float, as Philox.fillUniform computes it
        launcher.launch(Kernel.RANDOM_UNIFORM, LaunchConfig.elementwise(philoxBlocks(t)), new KernelArgs()
                .pointer(address(expect(t, DType.F32))).i64(t.size()).i64(seed).i64(offset).f32(lo).f32(range), t);
    }

    @Override
    public void randomNormal(Tensor t, long seed, long offset, float mean, float std) {
        launcher.launch(Kernel.RANDOM_NORMAL, LaunchConfig.elementwise(philoxBlocks(t)), new KernelArgs()
                .pointer(address(expect(t, DType.F32))).i64(t.size()).i64(seed).i64(offset).f32(mean).f32(std), t);
    }

    @Override
    public void inverseRoots(Tensor a, int batch, int n, RootSettings settings, Tensor roots, Tensor residuals) {
        symmetricRoutines.inverseRoots(a, batch, n, settings, roots, residuals);
    }

    @Override
    public void symmetricEigen(Tensor a, int batch, int n, Tensor eigenvalues, Tensor eigenvectors) {
        symmetricRoutines.symmetricEigen(a, batch, n, eigenvalues, eigenvectors);
    }

    @Override
    public void kalmanGains(Tensor jacobian, int batch, int length, int n, double observationVariance, Tensor keep, Tensor smootherGain) {
        kalman.gains(jacobian, batch, length, n, observationVariance, keep, smootherGain);
    }

    /** One block per (row, channel) sequence (grid-stride), sized like a diagonal scan's to the length. */
    @Override
    public void mobiusPrefix(Tensor m11, Tensor m12, Tensor m21, Tensor m22, int batch, int length, int channels, Tensor out) {
        long sequences = (long) batch * channels;
        if (sequences == 0 || length == 0) return;
        LaunchConfig blocks = LaunchConfig.of((int) Math.min(sequences, LaunchConfig.MAX_BLOCKS), 1, 1, CudaScans.threadsFor(length), 1, 1);
        launcher.launch(Kernel.MOBIUS_PREFIX, blocks, new KernelArgs().pointer(address(m11)).pointer(address(m12)).pointer(address(m21))
                .pointer(address(m22)).i32(batch).i32(length).i32(channels).pointer(address(out)), m11, m12, m21, m22, out);
    }

    @Override
    public void dropout(Tensor x, float p, long seed, long offset, Tensor y) {
        launcher.launch(Kernel.DROPOUT, LaunchConfig.elementwise(philoxBlocks(x)), new KernelArgs().pointer(address(x))
                .f32(p).f32(1 - p).i64(seed).i64(offset).pointer(address(y)).i64(x.size()), x, y);
    }

    /** One thread per Philox block of four elements. */
    private static long philoxBlocks(Tensor t) { return (t.size() + 3) / 4; }

    // ---- helpers -------------------------------------------------------------------------------

    /** Device address of element 0 of t. */
    static long address(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s)) throw new IllegalArgumentException(t + " is not a CUDA tensor");
        return s.address() + t.offset() * t.dtype().bytes();
    }

    static long orNull(Tensor t) { return t == null ? 0 : address(t); }

    private static Tensor expect(Tensor t, DType dtype) {
        if (t.dtype() != dtype) throw new IllegalArgumentException("expected a " + dtype + " tensor, got " + t);
        return t;
    }

    /** 32-bit words per element, for kernels that move data without interpreting it. */
    private static int words(Tensor t) { return t.dtype().bytes() / 4; }

    /**
     * Makes {@link #close()} return cached memory only: for the process-wide backends of
     * {@link CudaProbe} and {@link SimulatedCuda}, which outlive whoever holds them. (JUnit closes
     * every AutoCloseable argument of a parameterized test after it ran, which would otherwise
     * release the device under all later tests.)
     */
    CudaBackend processWide() {
        processWide = true;
        return this;
    }

    @Override
    public void close() {
        allocator.emptyCache();
        if (processWide) return;
        gemm.close();
        driver.close();
    }
}
