package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import io.recur.backend.MemoryStats;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import org.junit.jupiter.api.Test;

/**
 * What the CPU backend does beyond the SPI contract that the shared suite in io.recur.backend checks:
 * its self-description, exact byte counts, NaN in maxAxis, and norms without weight or bias.
 */
class CpuBackendTest {
    private static final CpuBackend CPU = new CpuBackend();

    @Test
    void isTheCpuBackendOfBackends() {
        assertTrue(Backends.cpu() instanceof CpuBackend);
        assertEquals("cpu", CPU.name());
    }

    @Test
    void statusNamesJavaThreadsAndBlas() {
        BackendStatus s = CPU.status();
        assertTrue(s.available());
        String details = String.join("\n", s.details());
        assertTrue(details.contains("Java " + Runtime.version().feature()), details);
        assertTrue(details.contains("threads: " + Runtime.getRuntime().availableProcessors()), details);
        assertTrue(details.contains("OpenBLAS"), details);
        assertTrue(CPU.description().startsWith("CPU (" + Runtime.getRuntime().availableProcessors() + " threads"), CPU.description());
    }

    /** Heap arrays: live bytes are exactly the elements' bytes, and nothing is cached. */
    @Test
    void memoryStatsCountExactBytesAndCacheNothing() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            MemoryStats before = CPU.memoryStats();
            CPU.allocate(Shape.of(1000), DType.F32);
            CPU.allocate(Shape.of(10), DType.I64);
            MemoryStats during = CPU.memoryStats();
            assertEquals(before.liveBytes() + 4000 + 80, during.liveBytes(), f.where("live bytes"));
            assertEquals(0, during.cachedBytes(), f.where("cached bytes"));
        }
    }

    @Test
    void maxAxisPropagatesNaN() {
        try (BackendFixture f = BackendFixture.on(CPU)) {
            Tensor out = f.output(1), arg = CPU.allocate(Shape.of(1), DType.I32);
            CPU.maxAxis(f.view(new double[] {1, Double.NaN, 3}, 3), 1, 3, 1, out, arg);
            assertTrue(Float.isNaN(out.item()), f.where("max with a NaN"));
            assertEquals(1, arg.toIntArray()[0], f.where("argmax of the NaN"));
        }
    }

    /** A null weight or bias means no affine part: the same as weight 1 and bias 0. */
    @Test
    void normsWithoutWeightOrBiasEqualWeightOneAndBiasZero() {
        int rows = 9, dim = 17;
        float eps = 1e-5f;
        try (BackendFixture f = BackendFixture.on(CPU)) {
            D x = f.rand.normal(rows, dim), dy = f.rand.normal(rows, dim), ones = D.zeros(dim).map(v -> 1);
            Tensor xt = f.view(x), dyt = f.view(dy), mean = f.output(rows), rstd = f.output(rows);
            Tensor affine = f.output(rows, dim), plain = f.output(rows, dim);
            CPU.layerNorm(xt, f.view(ones), f.view(D.zeros(dim)), rows, dim, eps, affine, mean, rstd);
            CPU.layerNorm(xt, null, null, rows, dim, eps, plain, mean, rstd);
            f.assertClose(D.of(affine), plain, 0, 0, "layerNorm without affine");
            CPU.layerNormBackward(xt, f.view(ones), mean, rstd, dyt, rows, dim, affine, null, null);
            CPU.layerNormBackward(xt, null, mean, rstd, dyt, rows, dim, plain, null, null);
            f.assertClose(D.of(affine), plain, 0, 0, "layerNorm' without affine");
            CPU.rmsNorm(xt, f.view(ones), rows, dim, eps, affine, rstd);
            CPU.rmsNorm(xt, null, rows, dim, eps, plain, rstd);
            f.assertClose(D.of(affine), plain, 0, 0, "rmsNorm without weight");
        }
    }
}
