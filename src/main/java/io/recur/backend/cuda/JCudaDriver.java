package io.recur.backend.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The one class that calls the CUDA driver API (through JCuda, with exceptions on). It uses the
 * device's primary context, the same one the CUDA runtime and cuBLAS use, and makes it current on
 * whichever thread calls in. JCuda errors become {@link CudaDriverException}s that say what was
 * being done.
 */
public final class JCudaDriver implements CudaDriver {
    /** Errors that a kernel launched earlier causes; they surface at a later, unrelated call. */
    private static final Set<String> STICKY = Set.of("CUDA_ERROR_ILLEGAL_ADDRESS", "CUDA_ERROR_LAUNCH_FAILED",
            "CUDA_ERROR_MISALIGNED_ADDRESS", "CUDA_ERROR_ILLEGAL_INSTRUCTION", "CUDA_ERROR_HARDWARE_STACK_ERROR",
            "CUDA_ERROR_LAUNCH_TIMEOUT", "CUDA_ERROR_ASSERT");
    private static final CUdeviceptr NULL = new CUdeviceptr();

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final DeviceInfo info;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private volatile boolean closed;

    private record JModule(String name, CUmodule module) implements Module {}

    private record JFunction(String name, CUfunction function) implements Function {}

    /** A device pointer at an arbitrary address (JCuda adds the byte offset to a null base). */
    private static final class Address extends CUdeviceptr {
        Address() {}

        Address(long address) { super(NULL, address); }

        long value() { return getNativePointer() + getByteOffset(); }
    }

    private JCudaDriver(int ordinal) {
        jcuda.driver.JCudaDriver.setExceptionsEnabled(true);
        call("initialise the CUDA driver (cuInit)", () -> jcuda.driver.JCudaDriver.cuInit(0));
        int[] count = new int[1];
        call("count CUDA devices", () -> jcuda.driver.JCudaDriver.cuDeviceGetCount(count));
        if (count[0] <= ordinal) throw new CudaDriverException("no CUDA device " + ordinal + " (found " + count[0] + ")", "CUDA_ERROR_NO_DEVICE");
        call("open CUDA device " + ordinal, () -> jcuda.driver.JCudaDriver.cuDeviceGet(device, ordinal));
        call("retain the primary context", () -> jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain(context, device));
        bind();
        info = queryInfo();
    }

    /** Initialises the driver and opens the device with the given ordinal. */
    public static JCudaDriver open(int ordinal) { return new JCudaDriver(ordinal); }

    /** Device memory at address as a JCuda pointer, for libraries such as cuBLAS. */
    static Pointer pointer(long address) { return new Address(address); }

    private DeviceInfo queryInfo() {
        byte[] name = new byte[256];
        call("query the device name", () -> jcuda.driver.JCudaDriver.cuDeviceGetName(name, name.length, device));
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        long[] total = new long[1];
        call("query device memory", () -> jcuda.driver.JCudaDriver.cuDeviceTotalMem(total, device));
        int[] version = new int[1];
        call("query the driver version", () -> jcuda.driver.JCudaDriver.cuDriverGetVersion(version));
        return new DeviceInfo(new String(name, 0, len, StandardCharsets.UTF_8),
                attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR), attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                total[0], attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT), version[0]);
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        call("query device attribute " + attribute, () -> jcuda.driver.JCudaDriver.cuDeviceGetAttribute(v, attribute, device));
        return v[0];
    }

    /** Makes the context current on this thread, once per thread. */
    private void bind() {
        if (closed) throw new IllegalStateException("the CUDA driver was closed");
        if (!current.get()) {
            call("make the CUDA context current", () -> jcuda.driver.JCudaDriver.cuCtxSetCurrent(context));
            current.set(true);
        }
    }

    @Override public DeviceInfo deviceInfo() { return info; }

    @Override
    public long[] memoryInfo() {
        bind();
        long[] free = new long[1], total = new long[1];
        call("query free memory", () -> jcuda.driver.JCudaDriver.cuMemGetInfo(free, total));
        return new long[] {free[0], total[0]};
    }

    @Override
    public long allocate(long bytes) {
        bind();
        Address a = new Address();
        call("allocate " + bytes + " bytes of device memory", () -> jcuda.driver.JCudaDriver.cuMemAlloc(a, bytes));
        return a.value();
    }

    @Override
    public void free(long address) {
        bind();
        call("free device memory", () -> jcuda.driver.JCudaDriver.cuMemFree(new Address(address)));
    }

    @Override public void copyToDevice(float[] src, long dst) { toDevice(Pointer.to(src), dst, 4L * src.length); }

    @Override public void copyToDevice(int[] src, long dst) { toDevice(Pointer.to(src), dst, 4L * src.length); }

    @Override public void copyToDevice(long[] src, long dst) { toDevice(Pointer.to(src), dst, 8L * src.length); }

    @Override public void copyToHost(long src, float[] dst) { toHost(src, Pointer.to(dst), 4L * dst.length); }

    @Override public void copyToHost(long src, int[] dst) { toHost(src, Pointer.to(dst), 4L * dst.length); }

    @Override public void copyToHost(long src, long[] dst) { toHost(src, Pointer.to(dst), 8L * dst.length); }

    private void toDevice(Pointer src, long dst, long bytes) {
        if (bytes == 0) return;
        bind();
        call("copy " + bytes + " bytes to the device", () -> jcuda.driver.JCudaDriver.cuMemcpyHtoD(new Address(dst), src, bytes));
    }

    private void toHost(long src, Pointer dst, long bytes) {
        if (bytes == 0) return;
        bind();
        call("copy " + bytes + " bytes to the host", () -> jcuda.driver.JCudaDriver.cuMemcpyDtoH(dst, new Address(src), bytes));
    }

    @Override
    public void copyDeviceToDevice(long src, long dst, long bytes) {
        if (bytes == 0) return;
        bind();
        call("copy " + bytes + " bytes on the device",
                () -> jcuda.driver.JCudaDriver.cuMemcpyDtoD(new Address(dst), new Address(src), bytes));
    }

    @Override
    public void memset32(long dst, int value, long count) {
        if (count == 0) return;
        bind();
        call("set " + count + " words of device memory", () -> jcuda.driver.JCudaDriver.cuMemsetD32(new Address(dst), value, count));
    }

    @Override
    public Module loadModule(String name, String ptx) {
        bind();
        byte[] text = (ptx + "\0").getBytes(StandardCharsets.UTF_8);  // the driver reads a C string
        CUmodule module = new CUmodule();
        call("load PTX module " + name, () -> jcuda.driver.JCudaDriver.cuModuleLoadData(module, text));
        return new JModule(name, module);
    }

    @Override
    public Function function(Module module, String entry) {
        bind();
        CUfunction f = new CUfunction();
        call("find kernel " + entry + " in module " + module.name(),
                () -> jcuda.driver.JCudaDriver.cuModuleGetFunction(f, ((JModule) module).module(), entry));
        return new JFunction(entry, f);
    }

    @Override
    public void launch(Function function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, KernelArgs args) {
        bind();
        Pointer[] params = new Pointer[args.size()];
        for (int i = 0; i < params.length; i++) params[i] = parameter(args.get(i));
        call("launch kernel " + function.name(), () -> jcuda.driver.JCudaDriver.cuLaunchKernel(((JFunction) function).function(),
                gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, null, Pointer.to(params), null));
    }

    /** Host memory holding one parameter's bytes; the driver copies them at launch. */
    private static Pointer parameter(KernelArgs.Arg a) {
        return switch (a.kind()) {
            case POINTER, LONG -> Pointer.to(new long[] {a.bits()});
            case INT, FLOAT -> Pointer.to(new int[] {(int) a.bits()});
            case INT_STRUCT -> Pointer.to(a.ints());
        };
    }

    @Override
    public void synchronize() {
        bind();
        call("synchronize with the device", jcuda.driver.JCudaDriver::cuCtxSynchronize);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease(device);
        } catch (CudaException e) {
            // closing at shutdown: nothing useful to do with a failure
        }
    }

    private interface DriverCall { int run(); }

    /** Runs one driver call, translating JCuda's exception into one that names the action. */
    private static void call(String what, DriverCall c) {
        try {
            c.run();
        } catch (CudaException e) {
            String name = e.getMessage() == null ? "" : e.getMessage().trim();
            String hint = STICKY.contains(name)
                    ? " (an earlier kernel failed; set -Drecur.cuda.debug=true or RECUR_CUDA_DEBUG=1 to name it)" : "";
            throw new CudaDriverException("could not " + what + ": " + name + hint, name, e);
        }
    }
}
