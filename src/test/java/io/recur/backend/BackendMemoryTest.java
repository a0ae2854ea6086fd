package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Transfers, copies, fills and memory statistics on every backend. */
class BackendMemoryTest {
    private static final int[] SIZES = {0, 1, 7, 255, 257, 70_001};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void arraysRoundTripForEveryDType(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int n : SIZES) {
                float[] fl = new float[n];
                int[] in = new int[n];
                long[] lo = new long[n];
                for (int i = 0; i < n; i++) {
                    fl[i] = (float) f.rand.uniform(-5, 5);
                    in[i] = f.rand.nextInt(2000) - 1000;
                    lo[i] = f.rand.nextLong();
                }
                assertArrayEquals(fl, backend.fromArray(fl, Shape.of(n)).toFloatArray(), f.where("float32 n=" + n));
                assertArrayEquals(in, backend.fromArray(in, Shape.of(n)).toIntArray(), f.where("int32 n=" + n));
                assertArrayEquals(lo, backend.fromArray(lo, Shape.of(n)).toLongArray(), f.where("int64 n=" + n));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void viewsReadOnlyTheirOwnElements(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            float[] fl = {1.5f, -2f, Float.NaN, 0f, 7f, 8f};
            long[] lo = {1L << 40, -2, Long.MIN_VALUE, 0, 9, 10};
            int[] in = {1, -2, Integer.MAX_VALUE, 0, 5, 6};
            assertArrayEquals(new float[] {0f, 7f, 8f}, backend.fromArray(fl, Shape.of(2, 3)).slice0(1, 2).toFloatArray(), f.where("float32 row 1"));
            assertArrayEquals(new long[] {Long.MIN_VALUE, 0}, backend.fromArray(lo, Shape.of(3, 2)).slice0(1, 2).toLongArray(), f.where("int64 row 1"));
            assertArrayEquals(new int[] {5, 6}, backend.fromArray(in, Shape.of(3, 2)).slice0(2, 3).toIntArray(), f.where("int32 row 2"));
        }
    }

    /** copy between shapes of one size, of int32 views, and fill of a view: nothing outside the destination changes. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void copyAndFillTouchOnlyTheirView(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int n : SIZES) {
                if (n < 2) continue;
                D src = f.rand.normal(n);
                Tensor dst = f.output(1, n);
                backend.copy(f.view(src), dst);
                f.assertClose(src.reshape(1, n), dst, 0, 0, "copy n=" + n);
                Tensor base = f.view(src), middle = base.slice0(n / 4, n / 2);
                backend.fill(middle, 2.5f);
                D expected = src.copy();
                java.util.Arrays.fill(expected.data, n / 4, n / 2, 2.5);
                f.assertClose(expected, base, 0, 0, "fill of rows [" + n / 4 + ", " + n / 2 + ") of " + n);
            }
            Tensor ints = f.intView(new int[] {1, 2, 3, 4, 5, 6}, 6), intDst = backend.allocate(Shape.of(2, 2), DType.I32);
            backend.copy(ints.slice0(2, 6), intDst);
            assertArrayEquals(new int[] {3, 4, 5, 6}, intDst.toIntArray(), f.where("int32 copy from a view"));
            f.assertClose(D.zeros(2), backend.zeros(Shape.of(2)), 0, 0, "zeros");
            f.assertClose(new D(new double[] {-1.5, -1.5, -1.5}, 3), backend.full(Shape.of(3), -1.5f), 0, 0, "full");
        }
    }

    /** A view keeps its storage alive after the base is closed; the stats come back when both are. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void memoryStatsCountLiveStoragesAndRequests(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            MemoryStats before = backend.memoryStats();
            Tensor a = backend.allocate(Shape.of(1000), DType.F32), b = backend.allocate(Shape.of(10), DType.I64);
            Tensor view = a.slice0(0, 10);
            MemoryStats during = backend.memoryStats();
            assertEquals(before.liveStorages() + 2, during.liveStorages(), f.where("live storages"));
            assertTrue(during.liveBytes() >= before.liveBytes() + 4000 + 80, f.where("live bytes " + during));
            assertTrue(during.peakBytes() >= during.liveBytes(), f.where("peak bytes " + during));
            assertEquals(before.requests() + 2, during.requests(), f.where("requests"));
            a.close();
            assertEquals(during.liveStorages(), backend.memoryStats().liveStorages(), f.where("the view keeps the storage alive"));
            view.close();
            b.close();
            MemoryStats after = backend.memoryStats();
            assertEquals(before.liveStorages(), after.liveStorages(), f.where("live storages after closing"));
            assertEquals(before.liveBytes(), after.liveBytes(), f.where("live bytes after closing"));
            assertTrue(after.peakBytes() >= during.liveBytes(), f.where("peak bytes after closing"));
        }
    }
}
