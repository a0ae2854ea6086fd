package io.recur.backend.cuda;

import io.recur.backend.Backend;
import io.recur.backend.BackendStatus;

/**
 * Decides once whether CUDA works here and remembers the verdict with a reason a user can act on.
 * With -Drecur.cuda.driver=sim (or RECUR_CUDA_DRIVER=sim) the CUDA backend runs its kernels in the CPU
 * simulator instead of on a GPU ({@link SimulatedCuda}, with -Drecur.sim.seed's thread order).
 * This class names no JCuda type: JCuda fails at its first class touch when there is no driver
 * (UnsatisfiedLinkError) or no jar (NoClassDefFoundError), so every touch happens inside
 * {@link #probe()}'s try, through {@link JCudaDriver} and {@link CublasGemm}.
 */
public final class CudaProbe {
    private record Verdict(BackendStatus status, CudaBackend backend) {}

    private static volatile Verdict verdict;

    private CudaProbe() {}

    /** Availability of CUDA with its reason or device details; never throws. */
    public static BackendStatus status() { return verdict().status(); }

    /** The CUDA backend; throws an IllegalStateException saying why when CUDA is unavailable. */
    public static Backend backend() {
        Verdict v = verdict();
        if (v.backend() == null) throw new IllegalStateException("the CUDA backend is unavailable: " + v.status().reason());
        return v.backend();
    }

    private static Verdict verdict() {
        Verdict v = verdict;
        if (v == null) {
            synchronized (CudaProbe.class) {
                if (verdict == null) verdict = probe();
                v = verdict;
            }
        }
        return v;
    }

    /** Probes again under the current settings without remembering the verdict (for tests of the selection). */
    static BackendStatus probeAgain() { return probe().status(); }

    /** The driver the user chose: "jcuda" (a GPU, the default) or "sim" (the CPU simulator). */
    static String requestedDriver() {
        String p = System.getProperty("recur.cuda.driver");
        if (p == null || p.isBlank()) p = System.getenv("RECUR_CUDA_DRIVER");
        return p == null || p.isBlank() ? "jcuda" : p.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static Verdict probe() {
        return switch (requestedDriver()) {
            case "jcuda" -> probeGpu();
            case "sim" -> probeSimulator();
            default -> unavailable("unknown CUDA driver '" + requestedDriver() + "' (recur.cuda.driver / RECUR_CUDA_DRIVER): use jcuda or sim");
        };
    }

    private static Verdict probeSimulator() {
        try {
            CudaBackend backend = SimulatedCuda.backend(SimDriver.defaultOrderSeed());
            return new Verdict(backend.status(), backend);
        } catch (RuntimeException | LinkageError e) {
            return new Verdict(BackendStatus.unavailable(SimulatedCuda.NAME, "the CUDA simulator could not start: " + e.getMessage()), null);
        }
    }

    private static Verdict probeGpu() {
        JCudaDriver driver;
        try {
            driver = JCudaDriver.open(0);
        } catch (LinkageError e) {
            return unavailable(DriverDiagnosis.explainLinkage(e));
        } catch (CudaDriverException e) {
            return unavailable(DriverDiagnosis.explainDriver(e, null, ptxIsa()));
        } catch (RuntimeException e) {
            return unavailable("CUDA could not start: " + e);
        }
        try {
            KernelLauncher launcher = new KernelLauncher(driver, KernelLauncher.debugRequested());
            launcher.loadAll();  // a driver too old for the PTX fails here, not at the first operation
            CublasGemm.Choice cublas = CublasGemm.tryOpen();
            CudaBackend backend = new CudaBackend(driver, launcher, cublas.engine(), cublas.whyNot()).processWide();
            return new Verdict(backend.status(), backend);
        } catch (CudaDriverException e) {
            String reason = DriverDiagnosis.explainDriver(e, driver.deviceInfo(), ptxIsa());
            driver.close();
            return unavailable(reason);
        } catch (RuntimeException | LinkageError e) {
            driver.close();
            return unavailable("CUDA could not start: " + e);
        }
    }

    /** One line on the kernels in this build, for `recur info`: entry points, modules, PTX ISA. */
    public static String kernelSummary() {
        long modules = java.util.Arrays.stream(Kernel.values()).map(Kernel::module).distinct().count();
        return Kernel.values().length + " kernels in " + modules + " PTX modules, PTX ISA " + ptxIsa()
                + " (nvcc 13 PTX needs an NVIDIA driver R580 or newer)";
    }

    private static String ptxIsa() {
        try {
            return PtxInfo.load(Kernel.FILL.module()).isaVersion();
        } catch (RuntimeException e) {
            return "(unknown)";
        }
    }

    private static Verdict unavailable(String reason) {
        return new Verdict(BackendStatus.unavailable("cuda", reason), null);
    }
}
