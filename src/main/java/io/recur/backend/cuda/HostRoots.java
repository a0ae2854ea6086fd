package io.recur.backend.cuda;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.RootSettings;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The symmetric-matrix routines of the CUDA backend, run on the host: the matrices are copied out,
 * the CPU backend's float64 routines run, and the results are copied back. Shampoo calls them once
 * per precondition_frequency steps, so the transfer is rarely the bottleneck.
 */
final class HostRoots {
    private HostRoots() {}

    static void inverseRoots(Backend device, Tensor a, int batch, int n, RootSettings settings, Tensor roots, Tensor residuals) {
        Backend cpu = Backends.cpu();
        try (Tensor ha = cpu.fromArray(a.toFloatArray(), Shape.of(batch, n, n));
             Tensor hr = cpu.allocate(Shape.of(batch, n, n), roots.dtype());
             Tensor hres = cpu.allocate(Shape.of(batch), residuals.dtype())) {
            cpu.inverseRoots(ha, batch, n, settings, hr, hres);
            upload(device, hr, roots);
            upload(device, hres, residuals);
        }
    }

    static void symmetricEigen(Backend device, Tensor a, int batch, int n, Tensor eigenvalues, Tensor eigenvectors) {
        Backend cpu = Backends.cpu();
        try (Tensor ha = cpu.fromArray(a.toFloatArray(), Shape.of(batch, n, n));
             Tensor hv = cpu.allocate(Shape.of(batch, n), eigenvalues.dtype());
             Tensor hq = cpu.allocate(Shape.of(batch, n, n), eigenvectors.dtype())) {
            cpu.symmetricEigen(ha, batch, n, hv, hq);
            upload(device, hv, eigenvalues);
            upload(device, hq, eigenvectors);
        }
    }

    private static void upload(Backend device, Tensor host, Tensor dst) {
        try (Tensor staged = device.fromArray(host.toFloatArray(), dst.shape())) { device.copy(staged, dst); }
    }
}
