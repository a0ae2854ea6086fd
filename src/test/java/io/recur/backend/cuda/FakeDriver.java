package io.recur.backend.cuda;

import java.util.HashMap;
import java.util.Map;

/** Device memory bookkeeping only (no kernels): for testing host logic such as the allocator. */
final class FakeDriver implements CudaDriver {
    final Map<Long, Long> blocks = new HashMap<>();
    private final long capacity;
    private long used, next = 0x7f0000000000L;
    int allocations, frees;

    FakeDriver(long capacity) { this.capacity = capacity; }

    @Override public DeviceInfo deviceInfo() { return new DeviceInfo("fake", 9, 0, capacity, 1, 13000); }

    @Override public long[] memoryInfo() { return new long[] {capacity - used, capacity}; }

    @Override
    public long allocate(long bytes) {
        if (used + bytes > capacity) throw new CudaDriverException("could not allocate: CUDA_ERROR_OUT_OF_MEMORY", "CUDA_ERROR_OUT_OF_MEMORY");
        long a = next;
        next += (bytes + 255) / 256 * 256;
        blocks.put(a, bytes);
        used += bytes;
        allocations++;
        return a;
    }

    @Override
    public void free(long address) {
        Long b = blocks.remove(address);
        if (b == null) throw new IllegalStateException("fake driver: bad free");
        used -= b;
        frees++;
    }

    long used() { return used; }

    private static UnsupportedOperationException noKernels() { return new UnsupportedOperationException("the fake driver runs no kernels"); }

    @Override public void copyToDevice(float[] src, long dst) { throw noKernels(); }
    @Override public void copyToDevice(int[] src, long dst) { throw noKernels(); }
    @Override public void copyToDevice(long[] src, long dst) { throw noKernels(); }
    @Override public void copyToHost(long src, float[] dst) { throw noKernels(); }
    @Override public void copyToHost(long src, int[] dst) { throw noKernels(); }
    @Override public void copyToHost(long src, long[] dst) { throw noKernels(); }
    @Override public void copyDeviceToDevice(long src, long dst, long bytes) { throw noKernels(); }
    @Override public void memset32(long dst, int value, long count) { throw noKernels(); }
    @Override public Module loadModule(String name, String ptx) { throw noKernels(); }
    @Override public Function function(Module module, String entry) { throw noKernels(); }
    @Override public void launch(Function f, int gx, int gy, int gz, int bx, int by, int bz, int shared, KernelArgs args) { throw noKernels(); }
    @Override public void synchronize() {}
    @Override public void close() {}
}
