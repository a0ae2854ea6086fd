package io.recur.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link CudaDriver} that runs the kernels of kernels/*.cu on the CPU through the simulator in
 * native/ (one fiber per CUDA thread, real barriers, shared memory and warp operations), called
 * through the FFM API. Device memory is host memory from the simulator; launches run to completion
 * before returning, so there is nothing asynchronous to synchronize.
 *
 * <p>The order seed decides the order in which threads resume after each barrier and warp
 * operation: 0 is ascending thread order, anything else a shuffle with that seed, which exposes
 * races that a fixed order hides.
 */
public final class SimDriver implements CudaDriver {
    /** The CUDA version of the toolkit the kernels are written for (nvcc 13, PTX ISA 9.0). */
    static final int DRIVER_VERSION = 13000;
    /** Big enough for the simulator's messages, which name kernel, block and thread. */
    private static final int ERROR_BYTES = 4096;

    /**
     * Compute capability 7.5: the kernels are compiled to compute_75 PTX, the oldest architecture they
     * promise to run on, and the simulator's model (32-lane warps, independent thread scheduling,
     * explicit shuffle masks) is what every device from there on guarantees.
     */
    static final int SIMULATED_MAJOR = 7, SIMULATED_MINOR = 5;

    private final SimLibrary lib;
    private final long orderSeed;
    private final int workers;
    private final SimAllocations allocations = new SimAllocations();
    private final DeviceInfo info;
    private volatile boolean closed;

    private record SimModule(String name, Map<String, MemorySegment> kernels) implements Module {}

    private record SimFunction(String module, String name, MemorySegment kernel) implements Function {}

    /**
     * @param orderSeed 0 for ascending thread order, else the seed of a shuffled order
     * @param workers   OS threads running blocks concurrently; 0 for one per core
     */
    public SimDriver(long orderSeed, int workers) {
        if (workers < 0) throw new IllegalArgumentException("workers must be >= 0 (0 = all cores), not " + workers);
        this.lib = SimLibrary.get();
        this.orderSeed = orderSeed;
        this.workers = workers;
        this.info = new DeviceInfo("CPU simulation of CUDA (" + effectiveWorkers() + " workers)",
                SIMULATED_MAJOR, SIMULATED_MINOR, physicalMemory(), effectiveWorkers(), DRIVER_VERSION);
    }

    /** With the order seed and worker count of -Drecur.sim.seed and -Drecur.sim.workers (both default 0). */
    public SimDriver() { this(defaultOrderSeed(), defaultWorkers()); }

    public static long defaultOrderSeed() { return Long.parseLong(System.getProperty("recur.sim.seed", "0").strip()); }

    public static int defaultWorkers() { return Integer.parseInt(System.getProperty("recur.sim.workers", "0").strip()); }

    public long orderSeed() { return orderSeed; }

    /** Worker threads actually used (0 resolved to the core count). */
    public int effectiveWorkers() { return workers > 0 ? workers : Runtime.getRuntime().availableProcessors(); }

    /** Every kernel the loaded libraries register, as "module/entry". */
    public static List<String> registeredKernels() { return SimLibrary.get().registeredKernels(); }

    /** Whether libsimtestkernels.so (the planted-bug kernels) was found beside the simulator. */
    public static boolean hasTestKernels() { return SimLibrary.get().hasTestKernels; }

    @Override
    public Optional<String> simulation() {
        return Optional.of("CPU simulation of CUDA, " + effectiveWorkers() + " workers, thread order "
                + (orderSeed == 0 ? "ascending" : "shuffled with seed " + orderSeed) + ", libraries in " + lib.directory);
    }

    @Override public DeviceInfo deviceInfo() { return info; }

    /** Free and total physical memory of the host, which is the simulated device's memory. */
    @Override
    public long[] memoryInfo() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return new long[] {os.getFreeMemorySize(), os.getTotalMemorySize()};
        long max = Runtime.getRuntime().maxMemory();
        return new long[] {max, max};
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getTotalMemorySize();
        return Runtime.getRuntime().maxMemory();
    }

    // ---- memory -------------------------------------------------------------------------------------

    @Override
    public long allocate(long bytes) {
        open();
        if (bytes < 0) throw new CudaDriverException("cannot allocate " + bytes + " bytes", "CUDA_ERROR_INVALID_VALUE");
        long address = lib.malloc(Math.max(bytes, 1));
        if (address == 0)
            throw new CudaDriverException("could not allocate " + bytes + " bytes of simulated device memory: CUDA_ERROR_OUT_OF_MEMORY",
                    "CUDA_ERROR_OUT_OF_MEMORY");
        allocations.add(address, bytes);
        return address;
    }

    @Override
    public void free(long address) {
        open();
        if (!allocations.remove(address))
            throw new CudaDriverException("could not free device memory at 0x" + Long.toHexString(address)
                    + ": not a live allocation of this driver (freed twice?)", "CUDA_ERROR_INVALID_VALUE");
        lib.free(address);
    }

    @Override public void copyToDevice(float[] src, long dst) {
        MemorySegment.copy(src, 0, device(dst, 4L * src.length, "copy to the device"), JAVA_FLOAT_UNALIGNED, 0, src.length);
    }

    @Override public void copyToDevice(int[] src, long dst) {
        MemorySegment.copy(src, 0, device(dst, 4L * src.length, "copy to the device"), JAVA_INT_UNALIGNED, 0, src.length);
    }

    @Override public void copyToDevice(long[] src, long dst) {
        MemorySegment.copy(src, 0, device(dst, 8L * src.length, "copy to the device"), JAVA_LONG_UNALIGNED, 0, src.length);
    }

    @Override public void copyToHost(long src, float[] dst) {
        MemorySegment.copy(device(src, 4L * dst.length, "copy to the host"), JAVA_FLOAT_UNALIGNED, 0, dst, 0, dst.length);
    }

    @Override public void copyToHost(long src, int[] dst) {
        MemorySegment.copy(device(src, 4L * dst.length, "copy to the host"), JAVA_INT_UNALIGNED, 0, dst, 0, dst.length);
    }

    @Override public void copyToHost(long src, long[] dst) {
        MemorySegment.copy(device(src, 8L * dst.length, "copy to the host"), JAVA_LONG_UNALIGNED, 0, dst, 0, dst.length);
    }

    @Override
    public void copyDeviceToDevice(long src, long dst, long bytes) {
        // copy() has memmove semantics; cuMemcpyDtoD leaves overlap undefined, which the host never relies on
        MemorySegment.copy(device(src, bytes, "copy on the device"), 0, device(dst, bytes, "copy on the device"), 0, bytes);
    }

    @Override
    public void memset32(long dst, int value, long count) {
        MemorySegment words = device(dst, 4 * count, "set device memory");
        if (value == 0) {
            words.fill((byte) 0);
            return;
        }
        for (long i = 0; i < count; i++) words.setAtIndex(JAVA_INT_UNALIGNED, i, value);
    }

    /** The device memory [address, address + bytes), checked to lie in one allocation. */
    private MemorySegment device(long address, long bytes, String what) {
        open();
        if (bytes == 0) return MemorySegment.NULL;
        allocations.checkRange(address, bytes, "could not " + what);
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    // ---- kernels ------------------------------------------------------------------------------------

    /** Resolves every entry of the PTX in the simulator library, so that a stale native build fails here. */
    @Override
    public Module loadModule(String name, String ptx) {
        open();
        Map<String, MemorySegment> kernels = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String entry : PtxInfo.parse(name, ptx).entries()) {
            MemorySegment k = lib.findKernel(name, entry);
            if (k.equals(MemorySegment.NULL)) missing.add(entry);
            else kernels.put(entry, k);
        }
        if (!missing.isEmpty())
            throw new CudaDriverException("could not load module " + name + " in the simulator: " + SimLibrary.KERNELS + " in "
                    + lib.directory + " has no kernels " + missing + " of kernels/" + name + ".cu; it is older than the PTX "
                    + "(rebuild native/: make -C native, or ./mvnw compile)", "CUDA_ERROR_NOT_FOUND");
        return new SimModule(name, Map.copyOf(kernels));
    }

    @Override
    public Function function(Module module, String entry) {
        open();
        SimModule m = (SimModule) module;
        MemorySegment k = m.kernels().get(entry);
        if (k == null) {
            k = lib.findKernel(m.name(), entry);  // not in the PTX text, but may still be registered (test kernels)
            if (k.equals(MemorySegment.NULL))
                throw new CudaDriverException("could not find kernel " + entry + " in module " + m.name()
                        + " of the simulator: not registered in " + lib.directory + " (rebuild native/)", "CUDA_ERROR_NOT_FOUND");
        }
        return new SimFunction(m.name(), entry, k);
    }

    /** A module of test kernels that has no PTX (native/test-kernels/): resolves entries as they are asked for. */
    public Module testModule(String name) {
        open();
        return new SimModule(name, Map.of());
    }

    @Override
    public void launch(Function function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, KernelArgs args) {
        open();
        SimFunction f = (SimFunction) function;
        String geometry = "grid (" + gridX + ", " + gridY + ", " + gridZ + ") block (" + blockX + ", " + blockY + ", " + blockZ + ")"
                + (sharedBytes > 0 ? " shared " + sharedBytes + " B" : "");
        SimLaunchLimits.check(f.name(), gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, geometry);
        int rc;
        String message;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(ERROR_BYTES);
            rc = lib.launch(f.kernel(), gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, SimKernelArgs.marshal(args, arena),
                    orderSeed, workers, err);
            message = rc == 0 ? "" : err.getString(0);
        }
        if (rc != 0)
            throw new CudaDriverException("simulated kernel " + f.module() + "/" + f.name() + " failed, " + geometry
                    + (orderSeed == 0 ? "" : ", order seed " + orderSeed) + ": " + (message.isBlank() ? "error " + rc : message),
                    "CUDA_ERROR_LAUNCH_FAILED");
        SimCoverage.record(f.module(), f.name());
    }

    /** Launches run to completion in {@link #launch}; only closing is checked. */
    @Override public void synchronize() { open(); }

    /** Frees what is still allocated; the simulator library itself stays loaded. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (long a : allocations.drain()) lib.free(a);
    }

    private void open() {
        if (closed) throw new IllegalStateException("the simulated CUDA driver was closed");
    }
}
