package io.recur.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel simulator's C API (native/include/recur_sim_api.h) as method handles. Loads
 * libcudasim.so, then libkernels.so (whose static constructors register kernels/*.cu with it), then
 * libsimtestkernels.so when present (the planted-bug kernels the tests use). Libraries cannot be
 * unloaded and register their kernels once, so there is one instance per process.
 */
final class SimLibrary {
    static final String SIMULATOR = "libcudasim.so";
    static final String KERNELS = "libkernels.so";
    static final String TEST_KERNELS = "libsimtestkernels.so";

    private static volatile SimLibrary instance;
    private static volatile RuntimeException failure;

    final Path directory;
    final boolean hasTestKernels;
    private final MethodHandle malloc, free, findKernel, kernelCount, kernelModule, kernelEntry, launch;

    private SimLibrary(Path directory) {
        this.directory = directory;
        Arena forever = Arena.global();  // the libraries stay loaded for the life of the process
        SymbolLookup sim = SymbolLookup.libraryLookup(directory.resolve(SIMULATOR), forever);
        SymbolLookup.libraryLookup(directory.resolve(KERNELS), forever);
        Path tests = directory.resolve(TEST_KERNELS);
        hasTestKernels = Files.isRegularFile(tests);
        if (hasTestKernels) SymbolLookup.libraryLookup(tests, forever);
        Linker linker = Linker.nativeLinker();
        malloc = handle(linker, sim, "recur_sim_malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        free = handle(linker, sim, "recur_sim_free", FunctionDescriptor.ofVoid(ADDRESS));
        findKernel = handle(linker, sim, "recur_sim_find_kernel", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        kernelCount = handle(linker, sim, "recur_sim_kernel_count", FunctionDescriptor.of(JAVA_INT));
        kernelModule = handle(linker, sim, "recur_sim_kernel_module", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        kernelEntry = handle(linker, sim, "recur_sim_kernel_entry", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        launch = handle(linker, sim, "recur_sim_launch", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor type) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                SIMULATOR + " has no function " + name + "; it does not match native/include/recur_sim_api.h (rebuild native/)"));
        return linker.downcallHandle(symbol, type);
    }

    /** The loaded library; throws an IllegalStateException saying where it looked and how to build it. */
    static SimLibrary get() {
        SimLibrary lib = instance;
        if (lib != null) return lib;
        synchronized (SimLibrary.class) {
            if (instance == null && failure == null) {
                try {
                    instance = new SimLibrary(locate());
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) throw new IllegalStateException(failure.getMessage(), failure);
            return instance;
        }
    }

    /**
     * The folder holding the libraries: -Drecur.sim.lib, else $RECUR_SIM_LIB, else target/native under
     * the working directory (a build tree), else native/ beside the jar (a distribution).
     */
    static Path locate() {
        String configured = System.getProperty("recur.sim.lib", System.getenv("RECUR_SIM_LIB"));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(dir.resolve(SIMULATOR)) || !Files.isRegularFile(dir.resolve(KERNELS)))
                throw new IllegalStateException("the simulator folder " + dir + " (recur.sim.lib / RECUR_SIM_LIB) lacks "
                        + SIMULATOR + " or " + KERNELS + "; build them with make -C native OUT=" + dir);
            return dir;
        }
        Set<Path> candidates = new LinkedHashSet<>();
        candidates.add(Path.of("target", "native").toAbsolutePath());
        jarDirectory().ifPresent(dir -> {
            candidates.add(dir.resolve("native"));
            candidates.add(dir);
        });
        for (Path dir : candidates)
            if (Files.isRegularFile(dir.resolve(SIMULATOR)) && Files.isRegularFile(dir.resolve(KERNELS))) return dir;
        throw new IllegalStateException("the CUDA simulator is not built: no " + SIMULATOR + " and " + KERNELS + " in "
                + candidates + "; ./mvnw compile builds them (make -C native), or point -Drecur.sim.lib / RECUR_SIM_LIB at them");
    }

    /** The folder of the jar or classes folder this class came from, if it is a file. */
    private static Optional<Path> jarDirectory() {
        try {
            var source = SimLibrary.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            Path p = Path.of(source.getLocation().toURI());
            return Optional.ofNullable(p.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---- the API, one method per C function -----------------------------------------------------------

    /** recur_sim_malloc: a 256-byte aligned, zeroed block, or 0 when memory is exhausted. */
    long malloc(long bytes) {
        try {
            return ((MemorySegment) malloc.invokeExact(bytes)).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(long address) {
        try {
            free.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The registered kernel's handle, or {@link MemorySegment#NULL} when there is none. */
    MemorySegment findKernel(String module, String entry) {
        try (Arena arena = Arena.ofConfined()) {
            return (MemorySegment) findKernel.invokeExact(arena.allocateFrom(module), arena.allocateFrom(entry));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Every registered kernel as "module/entry". */
    List<String> registeredKernels() {
        try {
            int n = (int) kernelCount.invokeExact();
            List<String> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
                all.add(string((MemorySegment) kernelModule.invokeExact(i)) + "/" + string((MemorySegment) kernelEntry.invokeExact(i)));
            return all;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** recur_sim_launch; returns 0 or the simulator's error code, with its message in err. */
    int launch(MemorySegment kernel, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, MemorySegment args,
               long orderSeed, int workers, MemorySegment err) {
        try {
            return (int) launch.invokeExact(kernel, gx, gy, gz, bx, by, bz, sharedBytes, args, orderSeed, workers, err, err.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "(null)" : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("simulator call failed", t);
    }
}
