package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.i32;
import static io.recur.backend.cpu.CpuStorage.i64;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSameSize;

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
import java.util.Arrays;
import java.util.List;

/**
 * The pure-Java backend: heap arrays, loops split over a fork/join pool, GEMM through OpenBLAS
 * (or a pure-Java GEMM when OpenBLAS cannot load). Synchronous, so {@link #synchronize} has nothing to do.
 * The kernels live in the package's helper classes; this class only routes to them.
 */
public final class CpuBackend implements Backend {
    private final CpuMemory memory = new CpuMemory();
    private final CpuGemm gemm;

    public CpuBackend() { this(loadBlas()); }

    /** For tests: a backend with a given GEMM kernel (e.g. the pure-Java fallback). */
    CpuBackend(Sgemm kernel) { this.gemm = new CpuGemm(kernel); }

    private static Sgemm loadBlas() {
        try {
            return OpenBlasSgemm.load();
        } catch (LinkageError | RuntimeException e) {   // missing natives, or native access refused
            return new JavaSgemm("OpenBLAS unavailable", e.toString());
        }
    }

    @Override public String name() { return "cpu"; }

    @Override
    public String description() {
        return "CPU (" + CpuParallel.THREADS + " threads, " + gemm.kernel().description() + ")";
    }

    @Override
    public BackendStatus status() {
        List<String> details = new ArrayList<>();
        details.add("Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        details.add("threads: " + CpuParallel.THREADS + " (fork/join pool; loops under "
                + CpuParallel.MIN_PARALLEL_WORK + " elements stay on the caller)");
        details.add("max heap: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        details.addAll(gemm.kernel().details());
        return BackendStatus.available(name(), details);
    }

    // ---- memory and transfers ------------------------------------------------------------------

    @Override
    public Tensor allocate(Shape shape, DType dtype) {
        return Tensor.wrap(this, new CpuStorage(dtype, shape.intSize(), memory), shape);
    }

    @Override
    public Tensor fromArray(float[] data, Shape shape) {
        Tensor t = allocate(checkLength(data.length, shape), DType.F32);
        System.arraycopy(data, 0, f32(t), 0, data.length);
        return t;
    }

    @Override
    public Tensor fromArray(int[] data, Shape shape) {
        Tensor t = allocate(checkLength(data.length, shape), DType.I32);
        System.arraycopy(data, 0, i32(t), 0, data.length);
        return t;
    }

    @Override
    public Tensor fromArray(long[] data, Shape shape) {
        Tensor t = allocate(checkLength(data.length, shape), DType.I64);
        System.arraycopy(data, 0, i64(t), 0, data.length);
        return t;
    }

    private static Shape checkLength(int length, Shape shape) {
        if (length != shape.size())
            throw new IllegalArgumentException("array of " + length + " elements does not fill shape " + shape);
        return shape;
    }

    @Override
    public float[] toFloatArray(Tensor t) {
        int o = offset(t);
        return Arrays.copyOfRange(f32(t), o, o + t.shape().intSize());
    }

    @Override
    public int[] toIntArray(Tensor t) {
        int o = offset(t);
        return Arrays.copyOfRange(i32(t), o, o + t.shape().intSize());
    }

    @Override
    public long[] toLongArray(Tensor t) {
        int o = offset(t);
        return Arrays.copyOfRange(i64(t), o, o + t.shape().intSize());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.dtype() != dst.dtype())
            throw new IllegalArgumentException("copy: dtypes differ, " + src + " -> " + dst);
        requireSameSize(src, dst, "copy");
        System.arraycopy(CpuStorage.of(src).array(), offset(src), CpuStorage.of(dst).array(), offset(dst), src.shape().intSize());
    }

    @Override
    public void fill(Tensor t, float value) {
        int o = offset(t);
        Arrays.fill(f32(t), o, o + t.shape().intSize(), value);
    }

    @Override public void synchronize() {}

    @Override public MemoryStats memoryStats() { return memory.stats(); }

    // ---- linear algebra ------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
                     float alpha, Tensor a, long strideA, Tensor b, long strideB,
                     float beta, Tensor c, long strideC) {
        gemm.gemm(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC);
    }

    // ---- elementwise ---------------------------------------------------------------------------

    @Override public void unary(UnaryOp op, Tensor x, Tensor y) { CpuElementwise.unary(op, x, y); }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        CpuElementwise.unaryBackward(op, x, y, dy, dx);
    }

    @Override public void scalar(ScalarOp op, Tensor x, float s, Tensor y) { CpuElementwise.scalar(op, x, s, y); }

    @Override public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { CpuElementwise.binary(op, a, b, out); }

    @Override
    public void binaryBackward(BinaryOp op, Tensor a, Tensor b, Tensor dOut, boolean wrtA, Tensor dInput) {
        CpuElementwise.binaryBackward(op, a, b, dOut, wrtA, dInput);
    }

    @Override public void sumTo(Tensor x, Tensor out) { CpuReductions.sumTo(x, out); }

    @Override public void broadcastTo(Tensor x, Tensor out) { CpuElementwise.broadcastTo(x, out); }

    @Override
    public void maxAxis(Tensor x, int outer, int n, int inner, Tensor out, Tensor argmax) {
        CpuReductions.maxAxis(x, outer, n, inner, out, argmax);
    }

    // ---- softmax and losses --------------------------------------------------------------------

    @Override
    public void softmax(Tensor x, int rows, int cols, boolean log, Tensor y) { CpuSoftmax.softmax(x, rows, cols, log, y); }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, int rows, int cols, boolean log, Tensor dx) {
        CpuSoftmax.softmaxBackward(y, dy, rows, cols, log, dx);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int rows, int classes, int ignoreIndex, Tensor losses) {
        CpuSoftmax.crossEntropy(logits, targets, rows, classes, ignoreIndex, losses);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, Tensor dLosses, int rows, int classes,
                                     int ignoreIndex, Tensor dLogits) {
        CpuSoftmax.crossEntropyBackward(logits, targets, dLosses, rows, classes, ignoreIndex, dLogits);
    }

    // ---- indexing ------------------------------------------------------------------------------

    @Override
    public void gather(Tensor x, int outer, int n, int inner, Tensor index, int m, Tensor out) {
        CpuIndexing.gather(x, outer, n, inner, index, m, out);
    }

    @Override
    public void scatterAdd(Tensor dOut, int outer, int n, int inner, Tensor index, int m, Tensor dx) {
        CpuIndexing.scatterAdd(dOut, outer, n, inner, index, m, dx);
    }

    @Override
    public void embedding(Tensor weight, Tensor indices, int count, int dim, Tensor out) {
        CpuIndexing.embedding(weight, indices, count, dim, out);
    }

    @Override
    public void embeddingBackward(Tensor dOut, Tensor indices, int count, int dim, Tensor dWeight) {
        CpuIndexing.embeddingBackward(dOut, indices, count, dim, dWeight);
    }

    @Override
    public void copyBlock(Tensor src, int srcLen, int srcStart, Tensor dst, int dstLen, int dstStart,
                          int outer, int len, int inner, boolean accumulate) {
        CpuIndexing.copyBlock(src, srcLen, srcStart, dst, dstLen, dstStart, outer, len, inner, accumulate);
    }

    @Override
    public void transpose(Tensor src, int p, int m, int q, int n, int r, Tensor dst) {
        CpuIndexing.transpose(src, p, m, q, n, r, dst);
    }

    // ---- normalisation -------------------------------------------------------------------------

    @Override
    public void rmsNorm(Tensor x, Tensor weight, int rows, int dim, float eps, Tensor y, Tensor rstd) {
        CpuNorms.rmsNorm(x, weight, rows, dim, eps, y, rstd);
    }

    @Override
    public void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor dy, int rows, int dim,
                                Tensor dx, Tensor dWeight) {
        CpuNorms.rmsNormBackward(x, weight, rstd, dy, rows, dim, dx, dWeight);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, int rows, int dim, float eps,
                          Tensor y, Tensor mean, Tensor rstd) {
        CpuNorms.layerNorm(x, weight, bias, rows, dim, eps, y, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor dy, int rows, int dim,
                                  Tensor dx, Tensor dWeight, Tensor dBias) {
        CpuNorms.layerNormBackward(x, weight, mean, rstd, dy, rows, dim, dx, dWeight, dBias);
    }

    // ---- scans ---------------------------------------------------------------------------------

    @Override
    public void linearScan(Tensor a, Tensor b, Tensor h0, Tensor resets, int rows, int length, boolean reverse, Tensor h) {
        CpuScans.linearScan(a, b, h0, resets, rows, length, reverse, h);
    }

    @Override
    public void linearScanBackward(Tensor a, Tensor h, Tensor h0, Tensor resets, Tensor gradH, int rows, int length,
                                   boolean reverse, Tensor da, Tensor db, Tensor dh0) {
        CpuScans.linearScanBackward(a, h, h0, resets, gradH, rows, length, reverse, da, db, dh0);
    }

    @Override
    public void matrixScan(Tensor a, Tensor b, Tensor h0, int rows, int length, int n, boolean reverse, Tensor h) {
        CpuScans.matrixScan(a, b, h0, rows, length, n, reverse, h);
    }

    @Override
    public void matrixScanBackward(Tensor a, Tensor h, Tensor h0, Tensor gradH, int rows, int length, int n, boolean reverse,
                                   Tensor dA, Tensor db, Tensor dh0) {
        CpuScans.matrixScanBackward(a, h, h0, gradH, rows, length, n, reverse, dA, db, dh0);
    }

    // ---- local attention ---------------------------------------------------------------------

    @Override
    public void localAttention(Tensor q, Tensor k, Tensor v, int batch, int length, int heads, int headDim, int window, float scale,
                               Tensor out, Tensor lse) {
        new CpuLocalAttention(q, k, v, batch, length, heads, headDim, window, scale).forward(out, lse);
    }

    @Override
    public void localAttentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut, int batch, int length,
                                       int heads, int headDim, int window, float scale, Tensor dq, Tensor dk, Tensor dv) {
        new CpuLocalAttention(q, k, v, batch, length, heads, headDim, window, scale).backward(out, lse, dOut, dq, dk, dv);
    }

    // ---- e-prop ------------------------------------------------------------------------------

    @Override
    public void lstmCell(Tensor gx, Tensor gh, Tensor cPrev, int rows, int hidden, Tensor h, Tensor c, Tensor saved) {
        CpuCells.lstm(gx, gh, cPrev, rows, hidden, h, c, saved);
    }

    @Override
    public void lstmCellBackward(Tensor cPrev, Tensor saved, Tensor dH, Tensor dC, int rows, int hidden, Tensor dGates, Tensor dCPrev) {
        CpuCells.lstmBackward(cPrev, saved, dH, dC, rows, hidden, dGates, dCPrev);
    }

    @Override
    public void gruCell(Tensor gx, Tensor gh, Tensor hPrev, int rows, int hidden, Tensor h, Tensor saved) {
        CpuCells.gru(gx, gh, hPrev, rows, hidden, h, saved);
    }

    @Override
    public void gruCellBackward(Tensor gh, Tensor hPrev, Tensor saved, Tensor dH, int rows, int hidden,
                                Tensor dGx, Tensor dGh, Tensor dHPrev) {
        CpuCells.gruBackward(gh, hPrev, saved, dH, rows, hidden, dGx, dGh, dHPrev);
    }

    @Override
    public void epropStep(EPropStepArgs args) { CpuEProp.step(args); }

    @Override
    public void rowScaledBlocks(Tensor coefficients, Tensor weight, BlockTerms terms, int matrices, int n, Tensor out) {
        CpuRowScaledBlocks.apply(coefficients, weight, terms, matrices, n, out);
    }

    // ---- RG-LRU and causal conv1d --------------------------------------------------------------

    @Override
    public void rgLru(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0,
                      int batch, int length, int width, Tensor h) {
        CpuRgLru.forward(x, gateXPre, gateAPre, lambda, resets, h0, batch, length, width, h);
    }

    @Override
    public void rgLruBackward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0, Tensor h,
                              Tensor gradH, int batch, int length, int width,
                              Tensor dx, Tensor dGateXPre, Tensor dGateAPre, Tensor dLambda, Tensor dh0) {
        CpuRgLru.backward(x, gateXPre, gateAPre, lambda, resets, h0, h, gradH, batch, length, width,
                dx, dGateXPre, dGateAPre, dLambda, dh0);
    }

    @Override
    public void causalConv1d(Tensor x, Tensor weight, Tensor bias, Tensor state, int batch, int channels, int length,
                             int kernelWidth, boolean channelsLast, boolean silu, Tensor out) {
        CpuConv1d.forward(x, weight, bias, state, batch, channels, length, kernelWidth, channelsLast, silu, out);
    }

    @Override
    public void causalConv1dBackward(Tensor x, Tensor weight, Tensor bias, Tensor state, Tensor gradOut, int batch,
                                     int channels, int length, int kernelWidth, boolean channelsLast, boolean silu,
                                     Tensor dx, Tensor dWeight, Tensor dBias, Tensor dState) {
        CpuConv1d.backward(x, weight, bias, state, gradOut, batch, channels, length, kernelWidth, channelsLast, silu,
                dx, dWeight, dBias, dState);
    }

    // ---- selective scan (Mamba S6) -------------------------------------------------------------

    @Override
    public void selectiveScan(SelectiveScanArgs args, Tensor out, Tensor checkpoints, Tensor lastState) {
        CpuSelectiveScan.forward(args, out, checkpoints, lastState);
    }

    @Override
    public void selectiveScanBackward(SelectiveScanArgs args, Tensor checkpoints, Tensor dOut, Tensor dLastState,
                                      SelectiveScanGrads grads) {
        CpuSelectiveScan.backward(args, checkpoints, dOut, dLastState, grads);
    }

    // ---- random numbers ------------------------------------------------------------------------

    @Override
    public void randomUniform(Tensor t, long seed, long offset, float lo, float hi) { CpuRandom.uniform(t, seed, offset, lo, hi); }

    @Override
    public void randomNormal(Tensor t, long seed, long offset, float mean, float std) { CpuRandom.normal(t, seed, offset, mean, std); }

    @Override
    public void inverseRoots(Tensor a, int batch, int n, RootSettings settings, Tensor roots, Tensor residuals) {
        CpuRoots.inverseRoots(a, batch, n, settings, roots, residuals);
    }

    @Override
    public void symmetricEigen(Tensor a, int batch, int n, Tensor eigenvalues, Tensor eigenvectors) {
        CpuRoots.symmetricEigen(a, batch, n, eigenvalues, eigenvectors);
    }

    @Override
    public void kalmanGains(Tensor jacobian, int batch, int length, int n, double observationVariance, Tensor keep, Tensor smootherGain) {
        CpuKalman.gains(jacobian, batch, length, n, observationVariance, keep, smootherGain);
    }

    @Override
    public void mobiusPrefix(Tensor m11, Tensor m12, Tensor m21, Tensor m22, int batch, int length, int channels, Tensor out) {
        CpuMobius.prefix(m11, m12, m21, m22, batch, length, channels, out);
    }

    @Override
    public void dropout(Tensor x, float p, long seed, long offset, Tensor y) { CpuRandom.dropout(x, p, seed, offset, y); }

    @Override public String toString() { return description(); }
}
