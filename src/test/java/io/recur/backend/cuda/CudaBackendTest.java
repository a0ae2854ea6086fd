package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.recur.backend.BackendStatus;
import io.recur.backend.GemmConformance;
import io.recur.backend.MemoryStats;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.TestBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the CUDA backend does beyond the SPI contract that the shared suite in io.recur.backend checks:
 * the caching allocator, grid-stride loops past the grid cap, data-movement kernels on int32/int64,
 * out-of-range indices skipped instead of rejected, and the own SGEMM kernel beside cuBLAS. On the GPU
 * when there is one, else on the CPU simulation of CUDA; failed without a GPU when
 * -Drecur.backend.require=cuda.
 */
class CudaBackendTest {
    private CudaBackend cuda;

    @BeforeEach
    void requireCuda() {
        BackendStatus s = CudaProbe.status();
        if (!s.available() && "cuda".equalsIgnoreCase(System.getProperty("recur.backend.require")))
            fail("this run requires CUDA (-Drecur.backend.require=cuda), but it is unavailable: " + s.reason());
        cuda = (CudaBackend) TestBackends.cuda();
    }

    @Test
    void describesTheDevice() {
        assertTrue(cuda.description().contains("PTX ISA 9.0"), cuda.description());
        assertTrue(cuda.status().available());
        assertTrue(cuda.status().details().stream().anyMatch(d -> d.startsWith("GEMM: ")), cuda.status().details().toString());
    }

    @Test
    void freedMemoryIsReusedWithoutNewDeviceAllocations() {
        try (BackendFixture f = BackendFixture.on(cuda)) {
            // warm the size class the loop uses (f.output pads its storage, which is another class)
            try (Tensor warm = cuda.allocate(Shape.of(1000), DType.F32)) { warm.size(); }
            MemoryStats before = cuda.memoryStats();
            for (int k = 0; k < 100; k++) try (Tensor t = cuda.allocate(Shape.of(1000), DType.F32)) { cuda.fill(t, k); }
            MemoryStats after = cuda.memoryStats();
            assertEquals(before.systemAllocations(), after.systemAllocations(), f.where("served from the cache"));
            assertEquals(before.requests() + 100, after.requests(), f.where("requests"));
            assertEquals(before.liveBytes(), after.liveBytes(), f.where("live bytes"));
        }
    }

    /** More elements than the grid cap covers: the kernels loop with a grid stride. */
    @Test
    void fillAndCopyReachPastTheGridCap() {
        int n = 17_000_001;
        try (BackendFixture f = BackendFixture.on(cuda)) {
            Tensor t = cuda.allocate(Shape.of(n), DType.F32), c = cuda.allocate(Shape.of(1, n), DType.F32);
            cuda.fill(t, -2.5f);
            cuda.copy(t, c);
            float[] got = c.toFloatArray();
            for (int k = 0; k < n; k += 997) assertEquals(-2.5f, got[k], f.where("element " + k));
            assertEquals(-2.5f, got[n - 1], f.where("the last element"));
        }
    }

    /** broadcastTo, copyBlock and transpose move 32-bit words, so they serve int32 and int64 too. */
    @Test
    void dataMovementServesIntegerDTypes() {
        try (BackendFixture f = BackendFixture.on(cuda)) {
            long[] x = new long[3 * 2];
            for (int i = 0; i < x.length; i++) x[i] = f.rand.nextLong();
            Tensor wide = cuda.allocate(Shape.of(4, 3, 7, 2), DType.I64);
            cuda.broadcastTo(cuda.fromArray(x, Shape.of(3, 1, 2)), wide);
            long[] got = wide.toLongArray();
            for (int i = 0; i < got.length; i++) assertEquals(x[i / 14 % 3 * 2 + i % 2], got[i], f.where("broadcastTo int64 element " + i));

            int[] small = {7, -8, 9};
            Tensor ints = cuda.allocate(Shape.of(2, 3), DType.I32);
            cuda.broadcastTo(f.intView(small, 3), ints);
            assertArrayEquals(new int[] {7, -8, 9, 7, -8, 9}, ints.toIntArray(), f.where("broadcastTo int32"));

            long[] src = new long[2 * 6 * 3];
            for (int i = 0; i < src.length; i++) src[i] = f.rand.nextLong();
            Tensor block = cuda.allocate(Shape.of(2, 2, 3), DType.I64);
            cuda.copyBlock(cuda.fromArray(src, Shape.of(2, 6, 3)), 6, 4, block, 2, 0, 2, 2, 3, false);
            long[] blockGot = block.toLongArray();
            for (int o = 0; o < 2; o++) for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++)
                assertEquals(src[(o * 6 + 4 + j) * 3 + i], blockGot[(o * 2 + j) * 3 + i], f.where("copyBlock int64"));

            Tensor swapped = cuda.allocate(Shape.of(1, 65, 1, 33, 1), DType.I64);
            long[] matrix = new long[33 * 65];
            for (int i = 0; i < matrix.length; i++) matrix[i] = f.rand.nextLong();
            cuda.transpose(cuda.fromArray(matrix, Shape.of(1, 33, 1, 65, 1)), 1, 33, 1, 65, 1, swapped);
            long[] swappedGot = swapped.toLongArray();
            for (int i = 0; i < 33; i++) for (int j = 0; j < 65; j++)
                assertEquals(matrix[i * 65 + j], swappedGot[j * 33 + i], f.where("transpose int64 (" + i + ", " + j + ")"));
        }
    }

    /** Where the CPU backend throws, the kernels skip an index outside [0, n): gathers read 0, scatters drop it. */
    @Test
    void indicesOutOfRangeAreSkipped() {
        try (BackendFixture f = BackendFixture.on(cuda)) {
            D x = new D(new double[] {1, 2, 3}, 1, 3, 1);
            Tensor index = f.intView(new int[] {2, 3, -1, 0}, 1, 4, 1), out = f.output(1, 4, 1);
            cuda.gather(f.view(x), 1, 3, 1, index, 4, out);
            f.assertClose(new D(new double[] {3, 0, 0, 1}, 1, 4, 1), out, 0, 0, "gather with indices 3 and -1 of 3");
            Tensor dx = f.view(new D(new double[3], 1, 3, 1));
            cuda.scatterAdd(f.view(new D(new double[] {1, 10, 100, 1000}, 1, 4, 1)), 1, 3, 1, index, 4, dx);
            f.assertClose(new D(new double[] {1000, 0, 1}, 1, 3, 1), dx, 0, 0, "scatterAdd with indices 3 and -1 of 3");
            Tensor rows = f.output(2, 2);
            cuda.embedding(f.view(new D(new double[] {1, 2, 3, 4}, 2, 2)), f.intView(new int[] {1, 2}, 2), 2, 2, rows);
            f.assertClose(new D(new double[] {3, 4, 0, 0}, 2, 2), rows, 0, 0, "embedding with index 2 of 2");
        }
    }

    @Test
    void ownSgemmKernelMatchesReference() {
        try (BackendFixture f = BackendFixture.on(cuda)) {
            GemmConformance.Gemm own = (ta, tb, batch, m, n, k, alpha, a, sa, b, sb, beta, c, sc) ->
                    cuda.ownGemm().gemm(ta, tb, batch, m, n, k, alpha, address(a), sa, address(b), sb, beta, address(c), sc);
            GemmConformance.checkAll(f, "own SGEMM", own);
            GemmConformance.checkLargeSquare(f, "own SGEMM", own);
        }
    }

    private static long address(Tensor t) { return ((CudaStorage) t.storage()).address() + t.offset() * 4; }
}
