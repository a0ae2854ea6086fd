package io.recur.backend.cuda;

import io.recur.tensor.Tensor;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the PTX modules once, caches the kernel handles and launches them. A failed launch names the
 * kernel, its geometry, its arguments and the shapes of the tensors involved. In debug mode
 * (-Drecur.cuda.debug=true or RECUR_CUDA_DEBUG=1) every launch is followed by a synchronize, so that
 * an asynchronous fault is reported against the kernel that caused it.
 */
public final class KernelLauncher {
    private final CudaDriver driver;
    private final boolean debug;
    private final Map<String, PtxInfo> ptx = new HashMap<>();
    private final Map<String, CudaDriver.Module> modules = new HashMap<>();
    private final Map<Kernel, CudaDriver.Function> functions = new EnumMap<>(Kernel.class);

    public KernelLauncher(CudaDriver driver, boolean debug) {
        this.driver = driver;
        this.debug = debug;
    }

    /** Debug mode as the user asked for it (system property, then environment). */
    public static boolean debugRequested() {
        String p = System.getProperty("recur.cuda.debug");
        if (p != null) return Boolean.parseBoolean(p);
        String e = System.getenv("RECUR_CUDA_DEBUG");
        return e != null && (e.equals("1") || e.toLowerCase(Locale.ROOT).equals("true"));
    }

    public boolean debug() { return debug; }

    /** Loads every module and resolves every kernel now, so that a driver too old for the PTX fails here. */
    public synchronized void loadAll() {
        for (Kernel k : Kernel.values()) function(k);
    }

    /** The PTX ISA version of the kernels, from the .version directive (e.g. "9.0"). */
    public synchronized String ptxIsaVersion() { return info(Kernel.FILL.module()).isaVersion(); }

    private PtxInfo info(String module) { return ptx.computeIfAbsent(module, PtxInfo::load); }

    private synchronized CudaDriver.Function function(Kernel k) {
        CudaDriver.Function f = functions.get(k);
        if (f == null) {
            CudaDriver.Module m = modules.computeIfAbsent(k.module(), name -> driver.loadModule(name, info(name).text()));
            f = driver.function(m, k.entry());
            functions.put(k, f);
        }
        return f;
    }

    /** Launches k; the tensors are only named in error messages. Empty grids launch nothing. */
    public void launch(Kernel k, LaunchConfig cfg, KernelArgs args, Tensor... tensors) {
        if (cfg.isEmpty()) return;
        CudaDriver.Function f = function(k);
        try {
            driver.launch(f, cfg.gridX(), cfg.gridY(), cfg.gridZ(), cfg.blockX(), cfg.blockY(), cfg.blockZ(), cfg.sharedBytes(), args);
            if (debug) driver.synchronize();
        } catch (CudaDriverException e) {
            throw new CudaDriverException("kernel " + k.entry() + " failed: " + cfg + ", args " + args + ", tensors "
                    + shapes(tensors) + ": " + e.getMessage(), e.errorName(), e);
        }
    }

    private static String shapes(Tensor[] tensors) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < tensors.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(tensors[i] == null ? "null" : tensors[i].shape() + " " + tensors[i].dtype());
        }
        return sb.append(']').toString();
    }
}
