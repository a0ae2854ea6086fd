package io.recur.backend.cuda;

/**
 * The small device surface the CUDA backend is written against. {@link JCudaDriver} implements it on
 * a real GPU; a CPU simulation of the kernels implements it for machines without one. Device memory
 * is addressed by plain 64-bit addresses so that views and kernel arguments are simple arithmetic.
 * Work is issued in order on one stream; copies to the host wait for it.
 * Failures throw {@link CudaDriverException}.
 */
public interface CudaDriver extends AutoCloseable {

    /** What {@code recur info} and error messages say about the device. */
    record DeviceInfo(String name, int computeMajor, int computeMinor, long totalMemory, int multiprocessors,
                      int driverVersion) {
        /** The CUDA version the driver supports, e.g. "12.8" for 12080. */
        public String driverCudaVersion() { return driverVersion / 1000 + "." + driverVersion % 1000 / 10; }

        public String computeCapability() { return computeMajor + "." + computeMinor; }
    }

    /** A loaded PTX module. */
    interface Module { String name(); }

    /** A kernel entry point of a loaded module. */
    interface Function { String name(); }

    DeviceInfo deviceInfo();

    /** How this driver imitates a device (for status lines), or empty when it drives a real GPU. */
    default java.util.Optional<String> simulation() { return java.util.Optional.empty(); }

    /** Free and total device memory in bytes, as the driver sees them now. */
    long[] memoryInfo();

    /** Device memory of the given size; throws with {@link CudaDriverException#isOutOfMemory()} when full. */
    long allocate(long bytes);

    void free(long address);

    void copyToDevice(float[] src, long dst);

    void copyToDevice(int[] src, long dst);

    void copyToDevice(long[] src, long dst);

    /** Fills dst from device memory, after all queued work. */
    void copyToHost(long src, float[] dst);

    void copyToHost(long src, int[] dst);

    void copyToHost(long src, long[] dst);

    void copyDeviceToDevice(long src, long dst, long bytes);

    /** Sets count 32-bit words at dst to value. */
    void memset32(long dst, int value, long count);

    /** Loads PTX text (JIT-compiled by the driver for this device). */
    Module loadModule(String name, String ptx);

    Function function(Module module, String entry);

    void launch(Function function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                int sharedBytes, KernelArgs args);

    /** Waits for all queued work; reports errors of earlier asynchronous launches. */
    void synchronize();

    /** Releases the context's resources; the driver is unusable afterwards. */
    @Override
    void close();
}
