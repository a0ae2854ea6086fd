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
 * <p>Small products run on one OpenBLAS thread: waking its other threads costs tens of microseconds
 * on an idle machine and a scheduler time slice (milliseconds) on a busy one, far more than splitting
 * saves. A recurrent layer's per-step products (batch × hidden × 4·hidden) are all small, so with
 * every product threaded an LSTM step on a loaded 2-core machine ran several times slower.
 * The thread count is OpenBLAS-global, so it is switched, and the product run, under one lock.
 * <p>Downcalls are restricted methods: launchers pass --enable-native-access=ALL-UNNAMED (without it
 * Java 25 prints a warning and carries on).
 */
@SuppressWarnings("restricted")
final class OpenBlasSgemm implements Sgemm {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    /** Products with fewer multiply-adds than this run on one thread (about 30 µs of one core's work). */
    static final long THREADED_FROM = 1L << 22;

    private final MethodHandle sgemm, setThreads;
    private final String config;
    private final String core;
    private final int threads;
    private int threadsNow;   // guarded by this

    private OpenBlasSgemm(MethodHandle sgemm, MethodHandle setThreads, String config, String core, int threads) {
        this.sgemm = sgemm; this.setThreads = setThreads; this.config = config; this.core = core; this.threads = threads;
        this.threadsNow = threads;
    }

    /** Loads OpenBLAS and sets its thread count to every core unless OPENBLAS_NUM_THREADS says otherwise. */
    static OpenBlasSgemm load() {
        Loader.load(openblas_nolapack.class);
        Linker linker = Linker.nativeLinker();
        MethodHandle sgemm = linker.downcallHandle(symbol("cblas_sgemm"), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(symbol("openblas_set_num_threads"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        try {
            if (System.getenv("OPENBLAS_NUM_THREADS") == null && System.getenv("OMP_NUM_THREADS") == null)
                setThreads.invokeExact(CpuParallel.THREADS);
            int threads = (int) linker.downcallHandle(symbol("openblas_get_num_threads"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
            return new OpenBlasSgemm(sgemm, setThreads, cString(linker, "openblas_get_config"), cString(linker, "openblas_get_corename"), threads);
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
    public synchronized void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        try {
            int wanted = (long) m * n * k < THREADED_FROM ? 1 : threads;
            if (wanted != threadsNow) {
                setThreads.invokeExact(wanted);
                threadsNow = wanted;
            }
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, MemorySegment.ofArray(a).asSlice(4L * offA), transA ? m : k,
                    MemorySegment.ofArray(b).asSlice(4L * offB), transB ? k : n,
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
        return List.of("BLAS: " + config, "BLAS kernels: " + core + ", " + threads + " threads",
                "BLAS calls: foreign-function API on heap arrays, no copies");
    }
}
