package io.recur.backend.cpu;

/**
 * One sequence of a dense linear recurrence as an {@link AssociativeScan.Sequence}: state h (n),
 * step s does h = C_s h + x_s and writes h; aggregates compose as
 * (C₁, x₁) ∘ (C₂, x₂) = (C₂C₁, C₂x₁ + x₂). Step s is at time first + dir·s.
 *
 * <p>The forward reads C_s = A_t and x_s = b_t. The gradient runs the other way, lagged by one
 * step and transposed (C_s = A^T of the step before, 0 for s = 0) over x_s = gradH_t, giving λ;
 * it additionally writes dA_t = λ_t h_prev^T and dh0 = A_first^T λ_first.
 */
final class MatrixRecurrence implements AssociativeScan.Sequence<float[], MatrixRecurrence.Aggregate> {
    /** The arrays of one scan call with their offsets; sequences share it. Unused arrays are null. */
    record Arrays(float[] a, int aOff, float[] x, int xOff, float[] out, int outOff, float[] h0, int h0Off,
                  float[] h, int hOff, float[] dA, int dAOff, float[] dh0, int dh0Off) {}

    /** C (n×n, row-major) and x (n) of a run of steps. */
    record Aggregate(float[] c, float[] x) {}

    private final Arrays m;
    private final int n, row, length, first, dir;
    private final boolean adjoint;

    private MatrixRecurrence(Arrays m, int row, int length, int n, boolean reverse, boolean adjoint) {
        this.m = m;
        this.n = n;
        this.row = row;
        this.length = length;
        this.first = reverse ? length - 1 : 0;
        this.dir = reverse ? -1 : 1;
        this.adjoint = adjoint;
    }

    static MatrixRecurrence forward(Arrays m, int row, int length, int n, boolean reverse) {
        return new MatrixRecurrence(m, row, length, n, reverse, false);
    }

    /** The gradient of a forward scan in direction reverse: the transposed scan the other way, lagged. */
    static MatrixRecurrence gradient(Arrays m, int row, int length, int n, boolean reverse) {
        return new MatrixRecurrence(m, row, length, n, !reverse, true);
    }

    private int time(int s) { return first + dir * s; }

    /** Element index of step t's vector (of x, out, h) for this row. */
    private int vec(int t) { return ((row * length) + t) * n; }

    /** out = C_s v; false (out untouched) where C_s is zero, i.e. the first step of the adjoint. */
    private boolean applyCoefficient(int s, float[] v, int vOff, float[] out, int outOff) {
        if (adjoint && s == 0) return false;
        int t = adjoint ? time(s - 1) : time(s);
        int a = m.aOff + (row * length + t) * n * n;
        float[] as = m.a;
        for (int i = 0; i < n; i++) {
            float sum = 0f;
            if (adjoint) for (int j = 0; j < n; j++) sum += as[a + j * n + i] * v[vOff + j];
            else for (int j = 0; j < n; j++) sum += as[a + i * n + j] * v[vOff + j];
            out[outOff + i] = sum;
        }
        return true;
    }

    @Override
    public float[] initial() {
        float[] h = new float[n];
        if (!adjoint && m.h0 != null) System.arraycopy(m.h0, m.h0Off + row * n, h, 0, n);
        return h;
    }

    @Override
    public Aggregate reduce(int from, int to) {
        float[] c = new float[n * n], x = new float[n], col = new float[n], next = new float[n];
        for (int i = 0; i < n; i++) c[i * n + i] = 1f;
        for (int s = from; s < to; s++) {
            boolean nonzero = applyCoefficient(s, x, 0, next, 0);
            int xs = m.xOff + vec(time(s));
            for (int i = 0; i < n; i++) x[i] = (nonzero ? next[i] : 0f) + m.x[xs + i];
            for (int j = 0; j < n; j++) {           // c = C_s c, one column at a time
                for (int i = 0; i < n; i++) col[i] = c[i * n + j];
                if (!applyCoefficient(s, col, 0, next, 0)) java.util.Arrays.fill(next, 0f);
                for (int i = 0; i < n; i++) c[i * n + j] = next[i];
            }
        }
        return new Aggregate(c, x);
    }

    @Override
    public float[] advance(float[] state, Aggregate agg) {
        float[] h = new float[n];
        for (int i = 0; i < n; i++) {
            float sum = agg.x[i];
            for (int j = 0; j < n; j++) sum += agg.c[i * n + j] * state[j];
            h[i] = sum;
        }
        return h;
    }

    @Override
    public void scan(float[] state, int from, int to) {
        float[] h = state.clone(), next = new float[n];
        for (int s = from; s < to; s++) {
            int t = time(s), xs = m.xOff + vec(t), os = m.outOff + vec(t);
            boolean nonzero = applyCoefficient(s, h, 0, next, 0);
            for (int i = 0; i < n; i++) {
                h[i] = (nonzero ? next[i] : 0f) + m.x[xs + i];
                m.out[os + i] = h[i];
            }
            if (adjoint && m.dA != null) writeDA(s, t, h);
        }
        if (adjoint && m.dh0 != null && to == length) {
            int t = time(length - 1), a = m.aOff + (row * length + t) * n * n;
            for (int i = 0; i < n; i++) {
                float sum = 0f;
                for (int j = 0; j < n; j++) sum += m.a[a + j * n + i] * h[j];
                m.dh0[m.dh0Off + row * n + i] = sum;
            }
        }
    }

    /** dA_t = λ_t h_prev^T, h_prev the forward state before t (the next step in this scan order, or h0). */
    private void writeDA(int s, int t, float[] lambda) {
        float[] prev = s + 1 < length ? m.h : m.h0;
        int p = s + 1 < length ? m.hOff + vec(time(s + 1)) : m.h0Off + row * n;
        int d = m.dAOff + (row * length + t) * n * n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m.dA[d + i * n + j] = prev == null ? 0f : lambda[i] * prev[p + j];
    }
}
