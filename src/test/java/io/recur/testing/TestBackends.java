package io.recur.testing;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.cuda.CudaBackend;
import io.recur.backend.cuda.CudaProbe;
import io.recur.backend.cuda.SimulatedCuda;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The backends a parameterized test runs on: the CPU always; CUDA on a GPU when this machine has
 * one, else CUDA simulated on the CPU in ascending thread order plus under two random thread orders,
 * which expose races. The seeds are fresh every run and appear in the backend's name
 * (cuda-sim[seed=N]); -Drecur.sim.seeds=N,M fixes them. (With the three simulated backends the whole
 * suite takes about 80 s on two cores, far below CI's limit, so every test gets them.)
 * With -Drecur.backend.require=cuda a missing GPU fails the run instead of falling back to the
 * simulator (the GPU check bundle sets this).
 */
public final class TestBackends {
    private static final List<Long> SEEDS = orderSeeds();
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private TestBackends() {}

    /** For @MethodSource("io.recur.testing.TestBackends#all"). */
    public static List<Backend> all() {
        REQUESTS.incrementAndGet();
        List<Backend> list = new ArrayList<>();
        list.add(Backends.cpu());
        list.add(cuda());
        if (list.getLast() instanceof CudaBackend c && c.simulated()) for (long seed : SEEDS) list.add(SimulatedCuda.backend(seed));
        return list;
    }

    /** The GPU when there is one, else the simulator in ascending order. */
    public static Backend cuda() {
        if (CudaProbe.status().available()) return CudaProbe.backend();
        if ("cuda".equals(System.getProperty("recur.backend.require")))
            throw new IllegalStateException("CUDA required by recur.backend.require but unavailable: " + CudaProbe.status().reason());
        return SimulatedCuda.backend(0);
    }

    /** How many parameterized tests asked for backends so far: tells the coverage check whether a suite ran. */
    public static int requests() { return REQUESTS.get(); }

    /** The random order seeds of this run: -Drecur.sim.seeds, else two fresh nonzero seeds. */
    public static List<Long> simulatorSeeds() { return SEEDS; }

    private static List<Long> orderSeeds() {
        String fixed = System.getProperty("recur.sim.seeds");
        List<Long> seeds;
        if (fixed != null && !fixed.isBlank()) {
            seeds = Stream.of(fixed.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
        } else {
            SplittableRandom random = new SplittableRandom();
            seeds = Stream.generate(() -> random.nextLong(1, Long.MAX_VALUE)).limit(2).toList();
        }
        System.out.println("simulator thread-order seeds of this run: " + seeds + " (fix them with -Drecur.sim.seeds="
                + String.join(",", seeds.stream().map(String::valueOf).toList()) + ")");
        return seeds;
    }
}
