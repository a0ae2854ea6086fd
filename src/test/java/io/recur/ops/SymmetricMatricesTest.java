package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.tensor.Shape;
import io.recur.testing.BackendFixture;
import io.recur.testing.SpdReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ops-level entry to the batched roots and eigendecompositions: batch axes, shapes, errors. */
class SymmetricMatricesTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void leadingAxesAreTheBatch(Backend backend) {
        int n = 4, p = 2;
        try (BackendFixture f = BackendFixture.on(backend)) {
            double[] a = new double[6 * n * n], expected = new double[6 * n * n], sorted = new double[6 * n];
            for (int b = 0; b < 6; b++) {
                double[] q = SpdReference.orthogonal(f.rand, n), lambda = SpdReference.spectrum(f.rand, n, 50, 2);
                System.arraycopy(SpdReference.compose(q, lambda, n), 0, a, b * n * n, n * n);
                System.arraycopy(SpdReference.inverseRoot(q, lambda, n, 0, p), 0, expected, b * n * n, n * n);
                java.util.Arrays.sort(lambda);
                System.arraycopy(lambda, 0, sorted, b * n, n);
            }
            SymmetricMatrices.Roots r = SymmetricMatrices.inverseRoots(f.view(a, 2, 3, n, n), RootSettings.of(RootMethod.COUPLED_NEWTON, p, 0, false));
            assertArrayEquals(new int[] {2, 3, n, n}, r.roots().shape().dims());
            assertArrayEquals(new int[] {2, 3}, r.residuals().shape().dims());
            f.assertCloseScaled(expected, r.roots().toFloatArray(), 1e-4, "roots");
            SymmetricMatrices.Eigen e = SymmetricMatrices.eigen(f.view(a, 2, 3, n, n));
            assertArrayEquals(new int[] {2, 3, n}, e.values().shape().dims());
            f.assertCloseScaled(sorted, e.values().toFloatArray(), 1e-5, "eigenvalues");
        }
    }

    @Test
    void nonSquareInputsAreClearErrors() {
        Backend cpu = Backends.cpu();
        try (BackendFixture f = BackendFixture.on(cpu)) {
            var e = assertThrows(IllegalArgumentException.class, () -> SymmetricMatrices.eigen(cpu.zeros(Shape.of(2, 3, 4))));
            assertTrue(e.getMessage().contains("eigen: the last two axes must be one square matrix side") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SymmetricMatrices.inverseRoots(cpu.zeros(Shape.of(5)), RootSettings.of(RootMethod.EIGEN, 2, 0, false)));
            assertTrue(e.getMessage().contains("inverseRoots: the matrices needs rank >= 2"), e.getMessage());
        }
    }
}
