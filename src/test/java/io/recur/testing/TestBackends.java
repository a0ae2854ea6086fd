package io.recur.testing;

import io.recur.backend.Backend;
import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import java.util.ArrayList;
import java.util.List;

/**
 * The backends a parameterized test runs on: the CPU always, CUDA when this machine has it.
 * With -Drecur.backend.require=cuda a missing CUDA backend fails the run instead of being skipped
 * (the GPU check bundle sets this).
 */
public final class TestBackends {
    private TestBackends() {}

    /** For @MethodSource("io.recur.testing.TestBackends#all"). */
    public static List<Backend> all() {
        List<Backend> list = new ArrayList<>();
        list.add(Backends.cpu());
        BackendStatus cuda = Backends.statuses().stream().filter(s -> s.name().equals("cuda")).findFirst().orElseThrow();
        if (cuda.available()) list.add(Backends.cuda());
        else if ("cuda".equals(System.getProperty("recur.backend.require")))
            throw new IllegalStateException("CUDA required by recur.backend.require but unavailable: " + cuda.reason());
        return list;
    }
}
