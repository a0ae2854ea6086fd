package io.recur.backend.cuda;

import io.recur.backend.BinaryOp;
import io.recur.backend.BackendStatus;
import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick look at kernel speed on a real GPU (not JMH: this runs in the GPU check bundle). Each row
 * is the median of timed repetitions after a warm-up, as GFLOP/s for GEMM and GB/s of compulsory
 * traffic for the memory-bound kernels. Usage: CudaBenchmark [OUT_FILE].
 */
public final class CudaBenchmark {
    private interface Op { void run(); }

    private final CudaBackend cuda;
    private final List<String> rows = new ArrayList<>();

    private CudaBenchmark(CudaBackend cuda) { this.cuda = cuda; }

    public static void main(String[] args) throws IOException {
        BackendStatus status = CudaProbe.status();
        List<String> out = new ArrayList<>();
        if (!status.available()) {
            out.add("CUDA unavailable: " + status.reason());
        } else {
            CudaBenchmark b = new CudaBenchmark((CudaBackend) CudaProbe.backend());
            out.add(b.cuda.description());
            out.add(String.format("%-36s %12s %14s", "kernel", "median ms", "throughput"));
            try (Scope scope = Scope.open("benchmark")) {
                b.runAll();
            }
            out.addAll(b.rows);
        }
        out.forEach(System.out::println);
        if (args.length > 0) Files.write(Path.of(args[0]), out);
    }

    private void runAll() {
        for (int n : new int[] {1024, 4096}) gemm(cuda.gemmName(), n, (a, b, c) -> cuda.gemm(false, false, 1, n, n, n, 1f, a, 0, b, 0, 0f, c, 0));
        int n = 2048;
        gemm("own SGEMM", n, (a, b, c) -> cuda.ownGemm().gemm(false, false, 1, n, n, n, 1f, addr(a), 0, addr(b), 0, 0f, addr(c), 0));

        int big = 1 << 24;
        Tensor x = cuda.allocate(Shape.of(big), io.recur.tensor.DType.F32), y = cuda.allocate(Shape.of(big), io.recur.tensor.DType.F32);
        cuda.randomUniform(x, 1, 0, -1, 1);
        cuda.randomUniform(y, 2, 0, -1, 1);
        bandwidth("binary add 16M", 3L * 4 * big, () -> cuda.binary(BinaryOp.ADD, x, y, y));
        Tensor bias = cuda.zeros(Shape.of(1024));
        Tensor x2 = x.reshape(big / 1024, 1024);
        bandwidth("binary add bias (16384, 1024)", 2L * 4 * big, () -> cuda.binary(BinaryOp.ADD, x2, bias, y.reshape(big / 1024, 1024)));
        bandwidth("sumTo (16384, 1024) -> 1024", 4L * big, () -> cuda.sumTo(x2, bias));
        bandwidth("softmax (4096, 4096)", 2L * 4 * big, () -> cuda.softmax(x, 4096, 4096, false, y));
        Tensor w = cuda.full(Shape.of(1024), 1f), mean = cuda.allocate(Shape.of(big / 1024), io.recur.tensor.DType.F32);
        Tensor rstd = cuda.allocate(Shape.of(big / 1024), io.recur.tensor.DType.F32);
        bandwidth("layerNorm (16384, 1024)", 2L * 4 * big, () -> cuda.layerNorm(x, w, bias, big / 1024, 1024, 1e-5f, y, mean, rstd));
        bandwidth("transpose (4096, 4096)", 2L * 4 * big, () -> cuda.transpose(x, 1, 4096, 1, 4096, 1, y));
        bandwidth("random uniform 16M", 4L * big, () -> cuda.randomUniform(y, 3, 0, 0, 1));
        for (int side : new int[] {128, 512})
            for (RootMethod method : RootMethod.values()) roots(method, side, side == 128 ? 64 : 16);
    }

    /** Batched inverse 4th roots of Shampoo-like factors G Gᵀ / 2n (G Gaussian n × 2n), as blocks per second. */
    private void roots(RootMethod method, int n, int batch) {
        Tensor g = cuda.allocate(Shape.of(batch, n, 2 * n), io.recur.tensor.DType.F32);
        Tensor a = cuda.allocate(Shape.of(batch, n, n), io.recur.tensor.DType.F32), x = cuda.allocate(Shape.of(batch, n, n), io.recur.tensor.DType.F32);
        Tensor residuals = cuda.allocate(Shape.of(batch), io.recur.tensor.DType.F32);
        cuda.randomNormal(g, 4, 0, 0, 1);
        cuda.gemm(false, true, batch, n, n, 2 * n, 1f / (2 * n), g, 2L * n * n, g, 2L * n * n, 0f, a, (long) n * n);
        RootSettings settings = RootSettings.of(method, 4, 1e-6, true);
        double ms = time(() -> cuda.inverseRoots(a, batch, n, settings, x, residuals));
        float worst = 0;
        for (float r : residuals.toFloatArray()) worst = Float.isNaN(r) ? Float.NaN : Math.max(worst, r);
        rows.add(String.format("%-36s %12.3f %8.1f blocks/s (residual <= %.1e)", "inverse root " + method + " " + batch + "x" + n, ms,
                batch / ms * 1e3, worst));
    }

    private interface GemmCall { void run(Tensor a, Tensor b, Tensor c); }

    private void gemm(String engine, int n, GemmCall call) {
        Tensor a = cuda.allocate(Shape.of(n, n), io.recur.tensor.DType.F32), b = cuda.allocate(Shape.of(n, n), io.recur.tensor.DType.F32);
        Tensor c = cuda.allocate(Shape.of(n, n), io.recur.tensor.DType.F32);
        cuda.randomUniform(a, 1, 0, -1, 1);
        cuda.randomUniform(b, 2, 0, -1, 1);
        double ms = time(() -> call.run(a, b, c));
        rows.add(String.format("%-36s %12.3f %9.0f GFLOP/s", "gemm " + engine + " " + n + "^3", ms, 2.0 * n * n * n / ms / 1e6));
    }

    private void bandwidth(String name, long bytes, Op op) {
        double ms = time(op);
        rows.add(String.format("%-36s %12.3f %10.0f GB/s", name, ms, bytes / ms / 1e6));
    }

    private double time(Op op) {
        for (int i = 0; i < 3; i++) op.run();
        cuda.synchronize();
        double[] t = new double[15];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            op.run();
            cuda.synchronize();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }

    private static long addr(Tensor t) { return ((CudaStorage) t.storage()).address() + t.offset() * 4; }
}
