package io.recur.testing;

import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A float64 row-major array for reference implementations in tests: the answer every backend's
 * float32 result and gradient is compared with.
 */
public final class D {
    public final double[] data;
    public final int[] shape;

    public D(double[] data, int... shape) {
        if (data.length != Shape.of(shape).size())
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        this.data = data;
        this.shape = shape.clone();
    }

    public static D zeros(int... shape) { return new D(new double[Shape.of(shape).intSize()], shape); }

    public static D of(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return new D(d, t.shape().dims());
    }

    public Tensor toTensor(Backend b) { return b.fromArray(toFloats(), Shape.of(shape)); }

    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return f;
    }

    /** Values rounded to float32, so that a reference sees exactly what a backend sees. */
    public D roundToFloat() {
        double[] r = new double[data.length];
        for (int i = 0; i < r.length; i++) r[i] = (float) data[i];
        return new D(r, shape);
    }

    public int size() { return data.length; }

    public int rank() { return shape.length; }

    public D copy() { return new D(data.clone(), shape); }

    public D withData(double[] newData) { return new D(newData, shape); }

    public D reshape(int... newShape) { return new D(data, Shape.of(shape).reshape(newShape).dims()); }

    public D map(DoubleUnaryOperator f) {
        double[] r = new double[data.length];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(data[i]);
        return new D(r, shape);
    }

    /** Elementwise f(this, other) with numpy broadcasting. */
    public D zip(D other, DoubleBinaryOperator f) {
        int[] out = Shape.broadcast(Shape.of(shape), Shape.of(other.shape)).dims();
        D r = zeros(out);
        int[] idx = new int[out.length];
        for (int i = 0; i < r.data.length; i++) {
            unravel(i, out, idx);
            r.data[i] = f.applyAsDouble(data[broadcastIndex(idx, shape)], other.data[broadcastIndex(idx, other.shape)]);
        }
        return r;
    }

    /** The last two axes swapped (e.g. channels-first ↔ channels-last). */
    public D swapLastTwo() {
        int r = rank(), m = shape[r - 2], n = shape[r - 1], outer = m * n == 0 ? 0 : size() / (m * n);
        int[] s = shape.clone();
        s[r - 2] = n;
        s[r - 1] = m;
        D out = zeros(s);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) out.data[(o * n + j) * m + i] = data[(o * m + i) * n + j];
        return out;
    }

    /** max |a_i − b_i| over two arrays of one length. */
    public static double maxAbsDifference(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        double most = 0;
        for (int i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i] - b[i]));
        return most;
    }

    /** Sum of all elements. */
    public double sum() {
        double s = 0;
        for (double v : data) s += v;
        return s;
    }

    /** Sum of this * weights (same shape): the scalar that gradient checks differentiate. */
    public double dot(D weights) {
        if (!Arrays.equals(shape, weights.shape))
            throw new IllegalArgumentException("dot of " + Arrays.toString(shape) + " and " + Arrays.toString(weights.shape));
        double s = 0;
        for (int i = 0; i < data.length; i++) s += data[i] * weights.data[i];
        return s;
    }

    /** Multi-index of flat index i in shape (row-major). */
    public static void unravel(int i, int[] shape, int[] idx) {
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = shape[a] == 0 ? 0 : i % shape[a];
            i = shape[a] == 0 ? 0 : i / shape[a];
        }
    }

    /** Flat index into a (right-aligned, broadcast) shape of the out-shaped multi-index idx. */
    public static int broadcastIndex(int[] idx, int[] shape) {
        int flat = 0, off = idx.length - shape.length;
        for (int a = 0; a < shape.length; a++) flat = flat * shape[a] + (shape[a] == 1 ? 0 : idx[a + off]);
        return flat;
    }

    @Override public String toString() { return "D" + Arrays.toString(shape); }
}
