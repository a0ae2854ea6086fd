package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.random.Philox;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random tensors reproduce io.recur.random.Philox on every backend: uniforms and dropout masks bit for
 * bit; normals bit for bit on the CPU (the same Java code) and to float precision elsewhere (device
 * logf/sinf/cosf differ by ulps).
 */
class BackendRandomTest {
    /** Sizes around a Philox block of 4 and across several thread blocks. */
    private static final int[] SIZES = {1, 3, 4, 5, 1001, 1023, 70_003};

    private static long[] offsets(BackendFixture f) { return new long[] {0, 7, 1L << 33, f.rand.nextInt(1000)}; }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void uniformsAreBitIdenticalToPhilox(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int n : SIZES)
                for (long offset : offsets(f)) {
                    long seed = f.rand.nextLong();
                    float[] expected = new float[n];
                    Philox.fillUniform(expected, 0, 0, n, seed, offset, -1.5f, 2.25f);
                    Tensor t = f.output(n);
                    backend.randomUniform(t, seed, offset, -1.5f, 2.25f);
                    f.assertBitsEqual(expected, t, "uniform n=" + n + " philox seed " + seed + " offset " + offset);
                }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void normalsMatchPhilox(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int n : SIZES)
                for (long offset : offsets(f)) {
                    long seed = f.rand.nextLong();
                    float[] expected = new float[n];
                    Philox.fillNormal(expected, 0, 0, n, seed, offset, 0.5f, 2f);
                    Tensor t = f.output(n);
                    backend.randomNormal(t, seed, offset, 0.5f, 2f);
                    String what = "normal n=" + n + " philox seed " + seed + " offset " + offset;
                    if (backend.name().equals("cpu")) f.assertBitsEqual(expected, t, what);
                    else f.assertClose(widen(expected), t.toFloatArray(), 1e-5, 1e-5, what);
                }
        }
    }

    /** y = x / (1 - p) where the uniform of the same counter is >= p, else 0; y may alias x. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void dropoutUsesThePhiloxMaskAlsoInPlace(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int n : SIZES) {
                long seed = f.rand.nextLong(), offset = f.rand.nextInt(1000);
                float p = 0.3f;
                D x = f.rand.normal(n);
                float[] expected = dropout(x, p, seed, offset);
                Tensor y = f.output(n);
                backend.dropout(f.view(x), p, seed, offset, y);
                f.assertBitsEqual(expected, y, "dropout n=" + n);
                Tensor inPlace = f.view(x);
                backend.dropout(inPlace, p, seed, offset, inPlace);
                f.assertBitsEqual(expected, inPlace, "dropout in place n=" + n);
            }
        }
    }

    /** p equal to one element's uniform: that element is kept, since the comparison is >=. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void dropoutKeepsAnElementWhoseUniformEqualsP(Backend backend) {
        int n = 64;
        try (BackendFixture f = BackendFixture.on(backend)) {
            long seed = f.rand.nextLong(), offset = f.rand.nextInt(1000);
            int tie = f.rand.nextInt(n);
            float p = uniforms(n, seed, offset)[tie];
            D x = f.rand.uniform(1, 2, n);
            Tensor y = f.output(n);
            backend.dropout(f.view(x), p, seed, offset, y);
            f.assertBitsEqual(dropout(x, p, seed, offset), y, "dropout with p = uniform " + tie + " = " + p);
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void dropoutWithPZeroKeepsAllAndWithPOneDropsAll(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D x = f.rand.normal(1000);
            Tensor all = f.output(1000), none = f.output(1000);
            backend.dropout(f.view(x), 0f, 7, 0, all);
            backend.dropout(f.view(x), 1f, 7, 0, none);
            f.assertClose(x, all, 0, 0, "p = 0 keeps everything");
            f.assertClose(D.zeros(1000), none, 0, 0, "p = 1 drops everything");
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void streamsAreStatisticallySane(Backend backend) {
        int n = 200_000;
        try (BackendFixture f = BackendFixture.on(backend)) {
            long seed = f.rand.nextLong();
            Tensor u = f.output(n), z = f.output(n);
            backend.randomUniform(u, seed, 0, 0f, 1f);
            backend.randomNormal(z, seed, 0, 0f, 1f);
            double mu = 0, mz = 0, vz = 0;
            for (float v : u.toFloatArray()) {
                mu += v / n;
                assertTrue(v >= 0 && v < 1, f.where("uniform " + v + " outside [0, 1)"));
            }
            for (float v : z.toFloatArray()) { mz += v / n; vz += (double) v * v / n; }
            assertEquals(0.5, mu, 0.01, f.where("uniform mean, philox seed " + seed));
            assertEquals(0, mz, 0.02, f.where("normal mean, philox seed " + seed));
            assertEquals(1, vz, 0.02, f.where("normal variance, philox seed " + seed));
        }
    }

    private static float[] uniforms(int n, long seed, long offset) {
        float[] u = new float[n];
        Philox.fillUniform(u, 0, 0, n, seed, offset, 0f, 1f);
        return u;
    }

    /** The inverted-dropout definition over Philox uniforms, in float32 as the backends compute it. */
    private static float[] dropout(D x, float p, long seed, long offset) {
        float[] u = uniforms(x.size(), seed, offset), y = new float[x.size()];
        for (int i = 0; i < y.length; i++) y[i] = u[i] >= p ? (float) x.data[i] / (1 - p) : 0f;
        return y;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
