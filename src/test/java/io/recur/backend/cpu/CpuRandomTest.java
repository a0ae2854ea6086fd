package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.random.Philox;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Random tensors must reproduce io.recur.random.Philox bit for bit (the CUDA kernels do too). */
class CpuRandomTest extends CpuTestBase {
    private static final int[] SIZES = {1, 3, 4, 5, 1023, 100_003};

    @Test
    void uniformAndNormalMatchPhiloxExactly() {
        for (int n : SIZES) {
            long s = rng.nextLong(), offset = rng.nextInt(1000);
            float[] u = new float[n], z = new float[n];
            Philox.fillUniform(u, 0, 0, n, s, offset, -2f, 3f);
            Philox.fillNormal(z, 0, 0, n, s, offset, 0.5f, 2f);
            Tensor ut = output(n), zt = output(n);
            CPU.randomUniform(ut, s, offset, -2f, 3f);
            CPU.randomNormal(zt, s, offset, 0.5f, 2f);
            assertArrayEquals(u, ut.toFloatArray(), ctx("uniform n=" + n));
            assertArrayEquals(z, zt.toFloatArray(), ctx("normal n=" + n));
        }
    }

    @Test
    void dropoutKeepsElementsWhoseUniformIsAtLeastP() {
        for (int n : SIZES) {
            long s = rng.nextLong(), offset = rng.nextInt(1000);
            float p = 0.3f;
            double[] x = rounded(normal(n));
            float[] u = new float[n];
            Philox.fillUniform(u, 0, 0, n, s, offset, 0f, 1f);
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = u[i] >= p ? (float) x[i] / (1 - p) : 0f;
            Tensor y = output(n);
            CPU.dropout(view(x, n), p, s, offset, y);
            assertArrayEquals(expected, y.toFloatArray(), ctx("dropout n=" + n));
            Tensor inPlace = view(x, n);
            CPU.dropout(inPlace, p, s, offset, inPlace);
            assertArrayEquals(expected, inPlace.toFloatArray(), ctx("dropout in place n=" + n));
        }
    }

    @Test
    void dropoutExtremes() {
        double[] x = rounded(normal(1000));
        Tensor all = output(1000), none = output(1000);
        CPU.dropout(view(x, 1000), 0f, 7, 0, all);
        CPU.dropout(view(x, 1000), 1f, 7, 0, none);
        assertClose(x, all, 0, 0, "p = 0 keeps everything");
        assertClose(new double[1000], none, 0, 0, "p = 1 drops everything");
    }

    @Test
    void streamsAreStatisticallySane() {
        int n = 200_000;
        Tensor u = output(n), z = output(n);
        CPU.randomUniform(u, seed, 0, 0f, 1f);
        CPU.randomNormal(z, seed, 0, 0f, 1f);
        double mu = 0, mz = 0, vz = 0;
        for (float v : u.toFloatArray()) { mu += v / n; assertTrue(v >= 0 && v < 1, ctx("uniform in [0, 1)")); }
        for (float v : z.toFloatArray()) { mz += v / n; vz += (double) v * v / n; }
        assertEquals(0.5, mu, 0.01, ctx("uniform mean"));
        assertEquals(0, mz, 0.02, ctx("normal mean"));
        assertEquals(1, vz, 0.02, ctx("normal variance"));
    }
}
