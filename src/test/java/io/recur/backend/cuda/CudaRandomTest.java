package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.random.Philox;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The GPU streams equal io.recur.random.Philox: bit for bit for uniforms and dropout masks. */
class CudaRandomTest extends CudaTestBase {
    private static final int[] SIZES = {1, 3, 4, 5, 1001, 70_003};
    private static final long[] OFFSETS = {0, 7, 1L << 33};

    @Test
    void uniformsAreBitIdenticalToJava() {
        for (int n : SIZES)
            for (long offset : OFFSETS) {
                long seed = rnd.nextLong();
                float[] expected = new float[n];
                Philox.fillUniform(expected, 0, 0, n, seed, offset, -1.5f, 2.25f);
                Tensor t = poisoned(n);
                cuda.randomUniform(t, seed, offset, -1.5f, 2.25f);
                float[] got = t.toFloatArray();
                for (int i = 0; i < n; i++)
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
                            "element " + i + " of n=" + n + " seed " + seed + " offset " + offset + ": " + expected[i] + " vs " + got[i]);
            }
    }

    @Test
    void normalsMatchJavaToFloatPrecision() {
        for (int n : SIZES) {
            long seed = rnd.nextLong(), offset = 11;
            float[] expected = new float[n];
            Philox.fillNormal(expected, 0, 0, n, seed, offset, 0.5f, 2f);
            Tensor t = poisoned(n);
            cuda.randomNormal(t, seed, offset, 0.5f, 2f);
            assertClose(toDouble(expected), t.toFloatArray(), 1e-5, 1e-5, "normal n=" + n);  // logf/sinf/cosf differ by ulps
        }
    }

    @Test
    void dropoutUsesTheSameMaskAndIsItsOwnBackward() {
        for (int n : SIZES) {
            long seed = rnd.nextLong(), offset = 5;
            float p = 0.3f;
            float[] x = uniform(n, -1, 1), u = new float[n];
            Philox.fillUniform(u, 0, 0, n, seed, offset, 0f, 1f);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = u[i] >= p ? x[i] / (1 - p) : 0;
            Tensor tx = upload(x, n), y = poisoned(n);
            cuda.dropout(tx, p, seed, offset, y);
            assertClose(expected, y.toFloatArray(), 0, 0, "dropout n=" + n);
            cuda.dropout(tx, p, seed, offset, tx);  // y may alias x
            assertClose(expected, tx.toFloatArray(), 0, 0, "dropout in place n=" + n);
        }
    }
}
