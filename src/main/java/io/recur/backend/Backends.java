package io.recur.backend;

import io.recur.backend.cpu.CpuBackend;
import io.recur.backend.cuda.CudaProbe;
import io.recur.backend.cuda.SimulatedCuda;
import java.util.List;

/** Finds the backends of this machine. The CUDA probe runs once; its verdict is remembered. */
public final class Backends {
    private static volatile CpuBackend cpu;

    private Backends() {}

    /** The CPU backend, always available. */
    public static Backend cpu() {
        CpuBackend c = cpu;
        if (c == null) {
            synchronized (Backends.class) {
                if (cpu == null) cpu = new CpuBackend();
                c = cpu;
            }
        }
        return c;
    }

    /** The CUDA backend; throws an IllegalStateException saying why when it is unavailable. */
    public static Backend cuda() { return CudaProbe.backend(); }

    /** CUDA when available, else the CPU. */
    public static Backend best() { return CudaProbe.status().available() ? cuda() : cpu(); }

    /** A backend by name: "cpu", "cuda", "auto", or "cuda-sim" / "cuda-sim[seed=N]" (CUDA simulated on the CPU). */
    public static Backend byName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (SimulatedCuda.isName(lower)) return SimulatedCuda.byName(lower);
        return switch (lower) {
            case "cpu" -> cpu();
            case "cuda", "gpu" -> cuda();
            case "auto" -> best();
            default -> throw new IllegalArgumentException("unknown backend '" + name + "': use cpu, cuda, cuda-sim or auto");
        };
    }

    /** Every backend this build knows, with availability and reasons. */
    public static List<BackendStatus> statuses() {
        return List.of(cpu().status(), CudaProbe.status());
    }
}
