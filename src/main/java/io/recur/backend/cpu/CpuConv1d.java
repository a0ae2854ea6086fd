package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.backend.UnaryOp;
import io.recur.tensor.Tensor;

/**
 * Causal depthwise conv1d (Backend#causalConv1d and its gradient) on the CPU, in either layout. Every
 * pass walks the tensors in memory order (lines of the contiguous axis), in parallel over lines.
 */
final class CpuConv1d {
    private CpuConv1d() {}

    /** The input tensors of one call, as arrays with offsets (state may be absent). */
    private record Inputs(Conv1dLayout l, float[] x, int xo, float[] w, int wo, float[] bias, int bo, float[] state, int so) {
        /** xx at time t of (b, c): x, or for t < 0 the carried state (zeros without one). */
        float xx(int b, int c, int t) {
            if (t >= 0) return x[xo + l.x(b, c, t)];
            int i = l.width() - 1 + t;
            return state == null || i < 0 ? 0f : state[so + l.state(b, c, i)];
        }

        float pre(int b, int c, int t) {
            float sum = bias == null ? 0f : bias[bo + c];
            for (int k = 0, w = l.width(); k < w; k++) sum += this.w[wo + l.weight(c, k)] * xx(b, c, t - (w - 1) + k);
            return sum;
        }
    }

    static void forward(Tensor x, Tensor weight, Tensor bias, Tensor state, int batch, int channels, int length,
                        int kernelWidth, boolean channelsLast, boolean silu, Tensor out) {
        Inputs in = inputs("causalConv1d", x, weight, bias, state, batch, channels, length, kernelWidth, channelsLast);
        requireSize(out, (long) batch * channels * length, "causalConv1d out");
        Conv1dLayout l = in.l();
        float[] o = f32(out);
        int oo = offset(out);
        CpuParallel.forRange(l.lines(), (long) l.lineLength() * kernelWidth, (l0, l1) -> {
            for (int line = l0; line < l1; line++) {
                int b = l.b(line);
                for (int j = 0; j < l.lineLength(); j++) {
                    int c = l.channel(line, j), t = l.time(line, j);
                    float z = in.pre(b, c, t);
                    o[oo + l.x(b, c, t)] = silu ? CpuMath.apply(UnaryOp.SILU, z) : z;
                }
            }
        });
    }

    static void backward(Tensor x, Tensor weight, Tensor bias, Tensor state, Tensor gradOut, int batch, int channels,
                         int length, int kernelWidth, boolean channelsLast, boolean silu,
                         Tensor dx, Tensor dWeight, Tensor dBias, Tensor dState) {
        String op = "causalConv1dBackward";
        Inputs in = inputs(op, x, weight, bias, state, batch, channels, length, kernelWidth, channelsLast);
        Conv1dLayout l = in.l();
        long size = (long) batch * channels * length;
        requireSize(gradOut, size, op + " gradOut");
        requireSize(dx, size, op + " dx");
        requireSize(dWeight, (long) channels * kernelWidth, op + " dWeight");
        if (dBias != null) requireSize(dBias, channels, op + " dBias");
        if (dState != null) requireSize(dState, (long) batch * channels * (kernelWidth - 1), op + " dState");
        float[] g = f32(gradOut);
        int go = offset(gradOut);
        // d loss / d pre-activation, in x's layout
        float[] dPre = new float[(int) size];
        CpuParallel.forRange(l.lines(), (long) l.lineLength() * kernelWidth, (l0, l1) -> {
            for (int line = l0; line < l1; line++) {
                int b = l.b(line);
                for (int j = 0; j < l.lineLength(); j++) {
                    int c = l.channel(line, j), t = l.time(line, j), i = l.x(b, c, t);
                    dPre[i] = silu ? g[go + i] * CpuMath.derivative(UnaryOp.SILU, in.pre(b, c, t), 0f) : g[go + i];
                }
            }
        });
        float[] dxa = f32(dx);
        int dxo = offset(dx);
        double[] dw = new double[channels * kernelWidth], db = new double[channels];
        CpuParallel.forRange(l.lines(), (long) l.lineLength() * kernelWidth * 2, (l0, l1) -> {
            double[] pw = new double[channels * kernelWidth], pb = new double[channels];
            for (int line = l0; line < l1; line++) {
                int b = l.b(line);
                for (int j = 0; j < l.lineLength(); j++) {
                    int c = l.channel(line, j), t = l.time(line, j);
                    dxa[dxo + l.x(b, c, t)] = inputGradient(in, dPre, b, c, t);
                    float d = dPre[l.x(b, c, t)];
                    pb[c] += d;
                    for (int k = 0; k < kernelWidth; k++) pw[c * kernelWidth + k] += d * in.xx(b, c, t - (kernelWidth - 1) + k);
                }
            }
            synchronized (dw) {
                for (int i = 0; i < dw.length; i++) dw[i] += pw[i];
                for (int i = 0; i < db.length; i++) db[i] += pb[i];
            }
        });
        float[] dwa = f32(dWeight);
        for (int c = 0; c < channels; c++)
            for (int k = 0; k < kernelWidth; k++) dwa[offset(dWeight) + l.weight(c, k)] = (float) dw[c * kernelWidth + k];
        if (dBias != null) for (int c = 0; c < channels; c++) f32(dBias)[offset(dBias) + c] = (float) db[c];
        if (dState != null) {
            float[] ds = f32(dState);
            for (int b = 0; b < batch; b++)
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < kernelWidth - 1; i++)
                        ds[offset(dState) + l.state(b, c, i)] = inputGradient(in, dPre, b, c, i - (kernelWidth - 1));
        }
    }

    /** d loss / d xx at time s (s < 0: the state): Σ_k w[c, k] dPre[t] over the outputs t = s + W-1-k that read it. */
    private static float inputGradient(Inputs in, float[] dPre, int b, int c, int s) {
        Conv1dLayout l = in.l();
        float sum = 0f;
        for (int k = 0, w = l.width(); k < w; k++) {
            int t = s + w - 1 - k;
            if (t >= 0 && t < l.length()) sum += in.w()[in.wo() + l.weight(c, k)] * dPre[l.x(b, c, t)];
        }
        return sum;
    }

    private static Inputs inputs(String op, Tensor x, Tensor weight, Tensor bias, Tensor state, int batch, int channels,
                                 int length, int kernelWidth, boolean channelsLast) {
        if (kernelWidth < 1) throw new IllegalArgumentException(op + ": kernel width must be >= 1, got " + kernelWidth);
        requireSize(x, (long) batch * channels * length, op + " x");
        requireSize(weight, (long) channels * kernelWidth, op + " weight");
        if (bias != null) requireSize(bias, channels, op + " bias");
        if (state != null) requireSize(state, (long) batch * channels * (kernelWidth - 1), op + " state");
        return new Inputs(new Conv1dLayout(batch, channels, length, kernelWidth, channelsLast), f32(x), offset(x),
                f32(weight), offset(weight), bias == null ? null : f32(bias), bias == null ? 0 : offset(bias),
                state == null ? null : f32(state), state == null ? 0 : offset(state));
    }
}
