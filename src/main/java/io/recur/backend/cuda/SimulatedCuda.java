package io.recur.backend.cuda;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CUDA backends whose kernels run in the CPU simulator ({@link SimDriver}), one per thread-order
 * seed, created on first use and kept for the life of the process. They exist whether or not the
 * machine has a GPU, so tests can run the CUDA host code and kernels anywhere.
 */
public final class SimulatedCuda {
    public static final String NAME = "cuda-sim";
    private static final Pattern NAMED = Pattern.compile("cuda-sim(?:\\[seed=(-?\\d+)])?");
    private static final Map<Long, CudaBackend> BY_SEED = new ConcurrentHashMap<>();

    private SimulatedCuda() {}

    /**
     * The simulated backend with the given order seed (0 = ascending thread order); throws an
     * IllegalStateException saying how to build the simulator when its libraries are missing.
     */
    public static CudaBackend backend(long orderSeed) {
        return BY_SEED.computeIfAbsent(orderSeed, seed -> CudaBackend.withOwnGemm(name(seed),
                new SimDriver(seed, SimDriver.defaultWorkers()), "cuBLAS needs a GPU; the simulator runs the own SGEMM kernel").processWide());
    }

    /** "cuda-sim" for ascending order, "cuda-sim[seed=N]" for a shuffled order, so a failure names its seed. */
    public static String name(long orderSeed) { return orderSeed == 0 ? NAME : NAME + "[seed=" + orderSeed + "]"; }

    /** Whether name is one {@link #name(long)} gives. */
    public static boolean isName(String name) { return NAMED.matcher(name).matches(); }

    /** The backend a {@link #name(long)} names. */
    public static CudaBackend byName(String name) {
        Matcher m = NAMED.matcher(name);
        if (!m.matches()) throw new IllegalArgumentException("not a simulated CUDA backend name: " + name + " (cuda-sim or cuda-sim[seed=N])");
        return backend(m.group(1) == null ? 0 : Long.parseLong(m.group(1)));
    }
}
