package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;

import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.tensor.Tensor;

/**
 * The batched symmetric-matrix routines of the CPU backend (Shampoo's inverse roots, SOAP's
 * eigenbases): float32 tensors in and out, float64 arithmetic inside, one matrix per task of the
 * fork/join pool.
 */
final class CpuRoots {
    private CpuRoots() {}

    static void inverseRoots(Tensor a, int batch, int n, RootSettings settings, Tensor roots, Tensor residuals) {
        float[] in = f32(a), out = f32(roots), res = f32(residuals);
        int inOff = offset(a), outOff = offset(roots), resOff = offset(residuals);
        long cost = 40L * n * n * n;
        CpuParallel.forRange(batch, cost, (from, to) -> {
            double[] root = new double[n * n];
            for (int b = from; b < to; b++) {
                double[] m = DenseMatrices.symmetricPart(in, inOff + b * n * n, n);
                double r = settings.method() == RootMethod.EIGEN
                        ? EigenRoot.inverseRoot(m, n, settings, root)
                        : CoupledNewtonRoot.inverseRoot(m, n, settings, root);
                for (int i = 0; i < n * n; i++) out[outOff + b * n * n + i] = (float) root[i];
                res[resOff + b] = (float) r;
            }
        });
    }

    static void symmetricEigen(Tensor a, int batch, int n, Tensor eigenvalues, Tensor eigenvectors) {
        float[] in = f32(a), vals = f32(eigenvalues), vecs = f32(eigenvectors);
        int inOff = offset(a), valOff = offset(eigenvalues), vecOff = offset(eigenvectors);
        CpuParallel.forRange(batch, 10L * n * n * n, (from, to) -> {
            double[] values = new double[n], vectors = new double[n * n];
            for (int b = from; b < to; b++) {
                JacobiEigen.decompose(DenseMatrices.symmetricPart(in, inOff + b * n * n, n), n, values, vectors);
                for (int i = 0; i < n; i++) vals[valOff + b * n + i] = (float) values[i];
                for (int i = 0; i < n * n; i++) vecs[vecOff + b * n * n + i] = (float) vectors[i];
            }
        });
    }
}
