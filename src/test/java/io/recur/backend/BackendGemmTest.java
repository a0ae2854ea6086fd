package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Batched GEMM on every backend: the conformance checks, k = 0 and a large square product. */
class BackendGemmTest {

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void gemmMatchesReference(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            GemmConformance.checkAll(f, backend.description(), backend::gemm);
        }
    }

    /** With k = 0 the product is empty: C = beta * C, and zeros when beta = 0 even over NaN. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void emptyInnerDimensionScalesC(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            Tensor a = f.output(0), b = f.output(0);
            Tensor c = f.view(new D(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
            backend.gemm(false, false, 1, 2, 3, 0, 1f, a, 0, b, 0, 2f, c, 6);
            f.assertClose(new D(new double[] {2, 4, 6, 8, 10, 12}, 2, 3), c, 0, 0, "k = 0, beta = 2");
            Tensor nanC = f.output(2, 3);
            backend.gemm(false, false, 1, 2, 3, 0, 1f, a, 0, b, 0, 0f, nanC, 6);
            f.assertClose(D.zeros(2, 3), nanC, 0, 0, "k = 0, beta = 0");
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void largeSquareProductMatches(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            GemmConformance.checkLargeSquare(f, backend.description(), backend::gemm);
        }
    }
}
