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
                if (channelsLast) forwardTimeStep(in, line, silu, o, oo);
                else forwardChannel(in, line, silu, o, oo);
            }
        });
    }

    /**
     * Channels-last: the line is time step t of batch element b, all channels contiguous. Where every
     * tap lies in x, each output starts at its bias and adds the taps in order k = 0 … W-1 (the
     * order of {@link Inputs#pre}), one contiguous, vectorisable pass over the channels per tap.
     */
    private static void forwardTimeStep(Inputs in, int line, boolean silu, float[] o, int oo) {
        Conv1dLayout l = in.l();
        int C = l.channels(), W = l.width(), b = l.b(line), t = line % l.length();
        int out = oo + l.x(b, 0, t);
        if (t < W - 1) {   // taps reach into the carried state: the generic element path
            for (int c = 0; c < C; c++) {
                float z = in.pre(b, c, t);
                o[out + c] = silu ? CpuMath.apply(UnaryOp.SILU, z) : z;
            }
            return;
        }
        float[] x = in.x(), w = in.w(), bias = in.bias();
        if (bias == null) java.util.Arrays.fill(o, out, out + C, 0f);
        else System.arraycopy(bias, in.bo(), o, out, C);
        for (int k = 0; k < W; k++) {
            int xi = in.xo() + l.x(b, 0, t - (W - 1) + k), wi = in.wo() + l.weight(0, k);
            for (int c = 0; c < C; c++) o[out + c] += w[wi + c] * x[xi + c];
        }
        if (silu) for (int c = 0; c < C; c++) o[out + c] = CpuMath.apply(UnaryOp.SILU, o[out + c]);
    }

    /**
     * Channels-first: the line is channel c of batch element b, time contiguous. The first W-1 steps
     * (taps in the carried state) take the generic path; the rest a loop over time with the taps in
     * registers (unrolled for W = 4), summing bias + tap 0 + … + tap W-1 in that order.
     */
    private static void forwardChannel(Inputs in, int line, boolean silu, float[] o, int oo) {
        Conv1dLayout l = in.l();
        int C = l.channels(), W = l.width(), T = l.length(), b = line / C, c = line % C;
        int xb = in.xo() + l.x(b, c, 0), ob = oo + l.x(b, c, 0);
        int head = Math.min(T, W - 1);
        for (int t = 0; t < head; t++) {
            float z = in.pre(b, c, t);
            o[ob + t] = silu ? CpuMath.apply(UnaryOp.SILU, z) : z;
        }
        float[] x = in.x(), w = in.w();
        float bias = in.bias() == null ? 0f : in.bias()[in.bo() + c];
        int wi = in.wo() + l.weight(c, 0);
        if (W == 4) {
            float w0 = w[wi], w1 = w[wi + 1], w2 = w[wi + 2], w3 = w[wi + 3];
            for (int t = head; t < T; t++) {
                int i = xb + t - 3;
                float sum = bias;
                sum += w0 * x[i];
                sum += w1 * x[i + 1];
                sum += w2 * x[i + 2];
                sum += w3 * x[i + 3];
                o[ob + t] = sum;
            }
        } else {
            for (int t = head; t < T; t++) {
                int i = xb + t - (W - 1);
                float sum = bias;
                for (int k = 0; k < W; k++) sum += w[wi + k] * x[i + k];
                o[ob + t] = sum;
            }
        }
        if (silu) for (int t = head; t < T; t++) o[ob + t] = CpuMath.apply(UnaryOp.SILU, o[ob + t]);
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
                if (!silu) {
                    int i = l.x(l.b(line), l.channel(line, 0), l.time(line, 0));
                    System.arraycopy(g, go + i, dPre, i, l.lineLength());
                    continue;
                }
                // the pre-activations of the line by the forward's loops, then times SiLU'
                if (channelsLast) forwardTimeStep(in, line, false, dPre, 0);
                else forwardChannel(in, line, false, dPre, 0);
                int i = l.x(l.b(line), l.channel(line, 0), l.time(line, 0));
                for (int j = 0, n = l.lineLength(); j < n; j++, i++)
                    dPre[i] = g[go + i] * CpuMath.derivative(UnaryOp.SILU, dPre[i], 0f);
            }
        });
        float[] dxa = f32(dx);
        int dxo = offset(dx);
        double[] dw = new double[channels * kernelWidth], db = new double[channels];
        CpuParallel.forRange(l.lines(), (long) l.lineLength() * kernelWidth * 2, (l0, l1) -> {
            double[] pw = new double[channels * kernelWidth], pb = new double[channels];
            for (int line = l0; line < l1; line++) {
                int b = l.b(line);
                if (interiorLine(in, dPre, line, dxa, dxo, pw, pb)) continue;
                for (int j = 0; j < l.lineLength(); j++) {
                    int c = l.channel(line, j), t = l.time(line, j);
                    if (interior(l, t)) {
                        interiorElement(in, dPre, b, c, t, dxa, dxo, pw, pb);
                        continue;
                    }
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

    /** Whether every tap of output t reads x (not the state) and every output reading x_t exists. */
    private static boolean interior(Conv1dLayout l, int t) { return t >= l.width() - 1 && t <= l.length() - l.width(); }

    /**
     * The backward's second pass at an interior element (see {@link #interior}): the same sums, in the
     * same order, as the generic path, with the indices computed directly.
     */
    private static void interiorElement(Inputs in, float[] dPre, int b, int c, int t, float[] dxa, int dxo,
                                        double[] pw, double[] pb) {
        Conv1dLayout l = in.l();
        int W = l.width(), i = l.x(b, c, t), step = l.x(b, c, t + 1) - i, wStep = l.weight(c, 1 % W) - l.weight(c, 0);
        int w0 = in.wo() + l.weight(c, 0);
        float[] w = in.w(), x = in.x();
        float sum = 0f;
        for (int k = 0; k < W; k++) sum += w[w0 + k * wStep] * dPre[i + (W - 1 - k) * step];
        dxa[dxo + i] = sum;
        float d = dPre[i];
        pb[c] += d;
        int xi = in.xo() + i - (W - 1) * step;
        for (int k = 0; k < W; k++) pw[c * W + k] += d * x[xi + k * step];
    }

    /**
     * A channels-first line with W = 4 (mamba's conv): the interior run of {@link #interiorElement}
     * with the taps and the line's channel's weight-gradient sums in registers, the edges generic.
     * Returns false (nothing done) for other lines.
     */
    private static boolean interiorLine(Inputs in, float[] dPre, int line, float[] dxa, int dxo, double[] pw, double[] pb) {
        Conv1dLayout l = in.l();
        if (l.channelsLast() || l.width() != 4 || l.length() < 8) return false;
        int T = l.length(), b = l.b(line), c = l.channel(line, 0), xb = l.x(b, c, 0);
        for (int t = 0; t < 3; t++) edgeElement(in, dPre, b, c, t, dxa, dxo, pw, pb);
        float[] w = in.w(), x = in.x();
        int wi = in.wo() + l.weight(c, 0), xo = in.xo() + xb;
        float w0 = w[wi], w1 = w[wi + 1], w2 = w[wi + 2], w3 = w[wi + 3];
        double p0 = pw[c * 4], p1 = pw[c * 4 + 1], p2 = pw[c * 4 + 2], p3 = pw[c * 4 + 3], q = pb[c];
        for (int t = 3; t <= T - 4; t++) {
            int i = xb + t;
            float sum = 0f;
            sum += w0 * dPre[i + 3];
            sum += w1 * dPre[i + 2];
            sum += w2 * dPre[i + 1];
            sum += w3 * dPre[i];
            dxa[dxo + i] = sum;
            float d = dPre[i];
            q += d;
            int xi = xo + t - 3;
            p0 += d * x[xi];
            p1 += d * x[xi + 1];
            p2 += d * x[xi + 2];
            p3 += d * x[xi + 3];
        }
        pw[c * 4] = p0;
        pw[c * 4 + 1] = p1;
        pw[c * 4 + 2] = p2;
        pw[c * 4 + 3] = p3;
        pb[c] = q;
        for (int t = T - 3; t < T; t++) edgeElement(in, dPre, b, c, t, dxa, dxo, pw, pb);
        return true;
    }

    /** The generic second-pass element (any t). */
    private static void edgeElement(Inputs in, float[] dPre, int b, int c, int t, float[] dxa, int dxo, double[] pw, double[] pb) {
        Conv1dLayout l = in.l();
        int W = l.width();
        dxa[dxo + l.x(b, c, t)] = inputGradient(in, dPre, b, c, t);
        float d = dPre[l.x(b, c, t)];
        pb[c] += d;
        for (int k = 0; k < W; k++) pw[c * W + k] += d * in.xx(b, c, t - (W - 1) + k);
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
