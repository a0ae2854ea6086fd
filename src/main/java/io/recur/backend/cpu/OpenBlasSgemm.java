package io.recur.backend.cpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * cblas_sgemm from the OpenBLAS that JavaCPP ships, called through the foreign-function API with
 * {@code Linker.Option.critical(true)}, which hands heap arrays to native code without copying.
 * Measured on a 2-core Zen 5 (OpenBLAS 0.3.31, n = 256 / 1024 / 2048): 223 / 242 / 250 GFLOP/s this way,
 * 190 / 233 / 189 GFLOP/s through JavaCPP's float[] overloads, which copy every array in and out.
 * JavaCPP is still used to extract and load the library and to find its symbols. A critical call holds
 * off the garbage collector while it runs (tens of ms for n = 2048), the price of not copying.
 * <p>OpenBLAS runs single-threaded; large products are split by rows of C over Recur's own fork/join
 * pool instead, one single-threaded call per part. OpenBLAS's threads wait for each other: on a
 * busy machine a product then waits for a time slice (milliseconds) for a thread the scheduler has
 * not run (measured at load 4: 2.1 GFLOP/s at 256³ and 53 at 1024³ with two OpenBLAS threads,
 * against a steady 117–125 with one), while a fork/join caller does the remaining parts itself.
 * Small products are not split (waking a worker costs more than it saves). When OPENBLAS_NUM_THREADS
 * or OMP_NUM_THREADS is set, OpenBLAS threads as told and nothing is split here.
 * <p>Downcalls are restricted methods: launchers pass --enable-native-access=ALL-UNNAMED (without it
 * Java 25 prints a warning and carries on).
 */
@SuppressWarnings("restricted")
final class OpenBlasSgemm implements Sgemm {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    /** Products with fewer multiply-adds than this are not split (about 30 µs of one core's work). */
    static final long SPLIT_FROM = 1L << 22;

    private final MethodHandle sgemm;
    private final String config;
    private final String core;
    private final int threads;
    private final int parts;   // row blocks a large product is split into

    private OpenBlasSgemm(MethodHandle sgemm, String config, String core, int threads, int parts) {
        this.sgemm = sgemm; this.config = config; this.core = core; this.threads = threads; this.parts = parts;
    }

    /** Loads OpenBLAS, single-threaded unless OPENBLAS_NUM_THREADS or OMP_NUM_THREADS says otherwise. */
    static OpenBlasSgemm load() {
        Loader.load(openblas_nolapack.class);
        Linker linker = Linker.nativeLinker();
        MethodHandle sgemm = linker.downcallHandle(symbol("cblas_sgemm"), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.critical(true));
        try {
            boolean told = System.getenv("OPENBLAS_NUM_THREADS") != null || System.getenv("OMP_NUM_THREADS") != null;
            if (!told)
                linker.downcallHandle(symbol("openblas_set_num_threads"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)).invokeExact(1);
            int threads = (int) linker.downcallHandle(symbol("openblas_get_num_threads"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
            return new OpenBlasSgemm(sgemm, cString(linker, "openblas_get_config"), cString(linker, "openblas_get_corename"), threads,
                    told ? 1 : CpuParallel.THREADS);
        } catch (Throwable e) {
            throw new LinkageError("OpenBLAS loaded but its configuration calls failed: " + e, e);
        }
    }

    private static MemorySegment symbol(String name) {
        long address = Loader.addressof(name).address();
        if (address == 0) throw new UnsatisfiedLinkError("symbol " + name + " not found in OpenBLAS");
        return MemorySegment.ofAddress(address);
    }

    private static String cString(Linker linker, String function) throws Throwable {
        MemorySegment s = (MemorySegment) linker.downcallHandle(symbol(function), FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
        return s.reinterpret(4096).getString(0).trim();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        int lda = transA ? m : k, ldb = transB ? k : n;
        int blocks = (long) m * n * k < SPLIT_FROM ? 1 : Math.min(parts, m);
        if (blocks == 1) {
            call(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC);
            return;
        }
        // rows [i0, i1) of C need rows i0.. of op(A): row i0 of A, or column i0 of A stored transposed
        CpuParallel.forRange(blocks, Long.MAX_VALUE / blocks, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int i0 = (int) ((long) m * p / blocks), i1 = (int) ((long) m * (p + 1) / blocks);
                call(transA, transB, i1 - i0, n, k, alpha, a, offA + (transA ? i0 : i0 * k), lda, b, offB, ldb, beta, c, offC + i0 * n);
            }
        });
    }

    /** One cblas_sgemm on C's rows at offC (leading dimension n). */
    private void call(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC) {
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, MemorySegment.ofArray(a).asSlice(4L * offA), lda,
                    MemorySegment.ofArray(b).asSlice(4L * offB), ldb,
                    beta, MemorySegment.ofArray(c).asSlice(4L * offC), n);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    @Override
    public String description() {
        String version = config.startsWith("OpenBLAS ") ? config.split(" ")[1] : "";
        return "OpenBLAS " + version + " (" + core + " kernels)";
    }

    @Override
    public List<String> details() {
        return List.of("BLAS: " + config, "BLAS kernels: " + core + ", " + threads + " OpenBLAS thread(s)"
                        + (parts > 1 ? ", large products split over " + parts + " Recur threads" : ""),
                "BLAS calls: foreign-function API on heap arrays, no copies");
    }
}
