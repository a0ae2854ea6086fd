package io.recur.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the ways CUDA fails to start into sentences a user can act on. */
final class DriverDiagnosis {
    private static final Pattern NVRM = Pattern.compile("Kernel Module\\s+(?:for\\s+\\S+\\s+)?([0-9]+(?:\\.[0-9]+)+)");

    private DriverDiagnosis() {}

    /** A failure to load JCuda's classes or native libraries. */
    static String explainLinkage(LinkageError e) {
        String all = messages(e);
        String lower = all.toLowerCase(Locale.ROOT);
        if (e instanceof NoClassDefFoundError && lower.contains("jcuda"))
            return "JCuda is not on the class path (jcuda-" + "12.6.0.jar and its natives); the CUDA backend cannot start";
        if (lower.contains("libcuda"))
            return "no NVIDIA driver: libcuda.so.1 was not found. Install the NVIDIA driver (R580 or newer) on a machine "
                    + "with an NVIDIA GPU, or use the CPU backend";
        return "JCuda's native library could not be loaded (" + firstLine(all) + "); check that the NVIDIA driver is "
                + "installed and that this is linux-x86_64";
    }

    /** A driver error while starting; info is null when the device could not be opened yet. */
    static String explainDriver(CudaDriverException e, CudaDriver.DeviceInfo info, String ptxIsa) {
        String name = e.errorName();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        String driver = driverDescription(info);
        if (name.equals("CUDA_ERROR_NO_DEVICE"))
            return "no CUDA device: the NVIDIA driver is installed but sees no GPU (check nvidia-smi and CUDA_VISIBLE_DEVICES)";
        if (name.equals("CUDA_ERROR_STUB_LIBRARY"))
            return "no NVIDIA driver: the libcuda.so found is the CUDA toolkit's stub, not a driver. Install the NVIDIA driver "
                    + "(R580 or newer) or remove the stub directory from LD_LIBRARY_PATH";
        if (name.equals("CUDA_ERROR_INSUFFICIENT_DRIVER") || name.equals("CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE"))
            return "the NVIDIA driver is too old for JCuda 12.6 (CUDA 12.6 or newer is needed); this driver " + driver;
        if (name.equals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION") || msg.toLowerCase(Locale.ROOT).contains("unsupported toolchain")
                || (name.equals("CUDA_ERROR_INVALID_PTX") && msg.contains("load PTX")))
            return "PTX ISA " + ptxIsa + " from nvcc 13 needs an NVIDIA driver R580 or newer; this driver " + driver
                    + ". Update the NVIDIA driver, or use the CPU backend";
        if (name.equals("CUDA_ERROR_OUT_OF_MEMORY"))
            return "the GPU has no free memory to start CUDA (" + msg + "); other processes may be holding it (nvidia-smi)";
        return "CUDA could not start: " + msg;
    }

    /** "supports CUDA 12.8 (NVIDIA driver 570.86.15)", as far as known. */
    static String driverDescription(CudaDriver.DeviceInfo info) {
        String nvrm = kernelModuleVersion();
        String cuda = info == null ? "" : "supports CUDA " + info.driverCudaVersion();
        if (nvrm.isEmpty()) return cuda.isEmpty() ? "is of unknown version" : cuda;
        return "is " + nvrm + (cuda.isEmpty() ? "" : " (" + cuda + ")");
    }

    /** The NVIDIA kernel module version (e.g. 580.65.06) from /proc, or "" when not readable. */
    static String kernelModuleVersion() {
        try {
            Matcher m = NVRM.matcher(Files.readString(Path.of("/proc/driver/nvidia/version")));
            return m.find() ? m.group(1) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) sb.append(t.getMessage()).append('\n');
        return sb.toString();
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
