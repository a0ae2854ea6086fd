package io.recur.parallel;

import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;

/**
 * The torch GRU, LSTM ([h, c] state) and tanh RNN cells in float64, one step at a time: the
 * reference for parallel evaluation, Jacobians (by central differences) and sequential trajectories.
 */
final class CellReference {
    enum Kind {
        GRU(3), LSTM(4), ELMAN(1);

        final int gates;

        Kind(int gates) { this.gates = gates; }
    }

    final Kind kind;
    final int input, hidden;
    final double[] weightIh, weightHh, biasIh, biasHh;

    private CellReference(Kind kind, int input, int hidden, double[] wIh, double[] wHh, double[] bIh, double[] bHh) {
        this.kind = kind;
        this.input = input;
        this.hidden = hidden;
        this.weightIh = wIh;
        this.weightHh = wHh;
        this.biasIh = bIh;
        this.biasHh = bHh;
    }

    /** Weights U(-scale/sqrt(hidden), scale/sqrt(hidden)) (scale 1 is torch's init), rounded to float32. */
    static CellReference random(Kind kind, int input, int hidden, double scale, Rand rand) {
        double bound = scale / Math.sqrt(hidden);
        int rows = kind.gates * hidden;
        return new CellReference(kind, input, hidden, rand.uniform(-bound, bound, rows, input).data, rand.uniform(-bound, bound, rows, hidden).data,
                rand.uniform(-bound, bound, rows).data, rand.uniform(-bound, bound, rows).data);
    }

    /** The cell with the given weights (row-major like torch's, weight_ih (gates·hidden, input), weight_hh (gates·hidden, hidden)). */
    static CellReference of(Kind kind, int input, int hidden, double[] wIh, double[] wHh, double[] bIh, double[] bHh) {
        return new CellReference(kind, input, hidden, wIh, wHh, bIh, bHh);
    }

    int stateSize() { return kind == Kind.LSTM ? 2 * hidden : hidden; }

    /** The four weights as float32 tensors: weight_ih, weight_hh, bias_ih, bias_hh. */
    Tensor[] tensors(Backend backend) {
        int rows = kind.gates * hidden;
        return new Tensor[] {floats(backend, weightIh, rows, input), floats(backend, weightHh, rows, hidden),
            floats(backend, biasIh, rows), floats(backend, biasHh, rows)};
    }

    RecurrentCell cell(Tensor[] w) {
        return switch (kind) {
            case GRU -> new GruCell(w[0], w[1], w[2], w[3]);
            case LSTM -> new LstmCell(w[0], w[1], w[2], w[3]);
            case ELMAN -> new ElmanCell(w[0], w[1], w[2], w[3]);
        };
    }

    /** f(state, x) for one step. */
    double[] step(double[] state, double[] x) {
        int h = hidden;
        double[] gi = affine(weightIh, biasIh, x, input), gh = affine(weightHh, biasHh, state, h);
        double[] out = new double[stateSize()];
        switch (kind) {
            case GRU -> {
                for (int i = 0; i < h; i++) {
                    double r = sigmoid(gi[i] + gh[i]), z = sigmoid(gi[h + i] + gh[h + i]);
                    double n = Math.tanh(gi[2 * h + i] + r * gh[2 * h + i]);
                    out[i] = (1 - z) * n + z * state[i];
                }
            }
            case LSTM -> {
                for (int i = 0; i < h; i++) {
                    double in = sigmoid(gi[i] + gh[i]), f = sigmoid(gi[h + i] + gh[h + i]);
                    double g = Math.tanh(gi[2 * h + i] + gh[2 * h + i]), o = sigmoid(gi[3 * h + i] + gh[3 * h + i]);
                    double c = f * state[h + i] + in * g;
                    out[i] = o * Math.tanh(c);
                    out[h + i] = c;
                }
            }
            case ELMAN -> {
                for (int i = 0; i < h; i++) out[i] = Math.tanh(gi[i] + gh[i]);
            }
        }
        return out;
    }

    /** ∂f/∂state by central differences, row-major (n, n). */
    double[] jacobian(double[] state, double[] x) {
        int n = stateSize();
        double[] j = new double[n * n];
        double eps = 1e-6;
        for (int k = 0; k < n; k++) {
            double[] plus = state.clone(), minus = state.clone();
            plus[k] += eps;
            minus[k] -= eps;
            double[] fp = step(plus, x), fm = step(minus, x);
            for (int i = 0; i < n; i++) j[i * n + k] = (fp[i] - fm[i]) / (2 * eps);
        }
        return j;
    }

    /** The sequential trajectory (batch, T, n) for x (batch, T, input) and h0 (batch, n) or null. */
    double[] sequential(double[] x, double[] h0, int batch, int length) {
        int n = stateSize();
        double[] out = new double[batch * length * n];
        for (int b = 0; b < batch; b++) {
            double[] s = new double[n];
            if (h0 != null) System.arraycopy(h0, b * n, s, 0, n);
            for (int t = 0; t < length; t++) {
                s = step(s, slice(x, (b * length + t) * input, input));
                System.arraycopy(s, 0, out, (b * length + t) * n, n);
            }
        }
        return out;
    }

    static double[] slice(double[] a, int from, int size) {
        double[] s = new double[size];
        System.arraycopy(a, from, s, 0, size);
        return s;
    }

    private double[] affine(double[] w, double[] b, double[] v, int cols) {
        int rows = kind.gates * hidden;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = b[r];
            for (int c = 0; c < cols; c++) s += w[r * cols + c] * v[c];
            y[r] = s;
        }
        return y;
    }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    private static Tensor floats(Backend backend, double[] values, int... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return backend.fromArray(f, Shape.of(shape));
    }
}
