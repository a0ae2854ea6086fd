package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.backend.RootSettings;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * Functions of batches of symmetric positive semi-definite matrices, for second-order optimizers
 * (Shampoo's inverse roots, SOAP's eigenbases): any leading axes are the batch, the last two are
 * n×n. Not recorded on the tape: they act on optimizer state, not on the model's computation. The
 * results belong to the current scope.
 */
public final class SymmetricMatrices {
    private SymmetricMatrices() {}

    /** Inverse roots (a's shape) and the method's residual per matrix (the batch shape), see {@link Backend#inverseRoots}. */
    public record Roots(Tensor roots, Tensor residuals) {}

    /** Eigenvalues ascending (the batch shape, n) and unit eigenvectors as columns (a's shape). */
    public record Eigen(Tensor values, Tensor vectors) {}

    /** X ≈ (A + r·I)^{-1/p} for every matrix A of a (..., n, n), as settings define it. */
    public static Roots inverseRoots(Tensor a, RootSettings settings) {
        int n = checkSquare("inverseRoots", a);
        Backend b = a.backend();
        int batch = Math.toIntExact(a.size() / ((long) n * n));
        Tensor roots = b.allocate(a.shape(), DType.F32), residuals = b.allocate(batchShape(a), DType.F32);
        b.inverseRoots(a, batch, n, settings, roots, residuals);
        return new Roots(roots, residuals);
    }

    /** A = V diag(λ) Vᵀ for every matrix of a (..., n, n), by cyclic Jacobi. */
    public static Eigen eigen(Tensor a) {
        int n = checkSquare("eigen", a);
        Backend b = a.backend();
        int batch = Math.toIntExact(a.size() / ((long) n * n));
        int[] valueDims = Arrays.copyOf(a.shape().dims(), a.rank() - 1);
        Tensor values = b.allocate(Shape.of(valueDims), DType.F32), vectors = b.allocate(a.shape(), DType.F32);
        b.symmetricEigen(a, batch, n, values, vectors);
        return new Eigen(values, vectors);
    }

    private static int checkSquare(String op, Tensor a) {
        Checks.sameBackend(op, a);
        Checks.dtype(op, "the matrices", a, DType.F32);
        Checks.rankAtLeast(op, "the matrices", a, 2);
        int n = a.shape().dim(-1);
        if (a.shape().dim(-2) != n || n < 1)
            throw new IllegalArgumentException(op + ": the last two axes must be one square matrix side n >= 1, got shape " + a.shape());
        return n;
    }

    private static Shape batchShape(Tensor a) {
        int[] dims = Arrays.copyOf(a.shape().dims(), a.rank() - 2);
        return dims.length == 0 ? Shape.of(1) : Shape.of(dims);
    }
}
