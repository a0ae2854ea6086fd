package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;
import static io.recur.backend.cpu.FastActivations.sigmoid;
import static io.recur.backend.cpu.FastActivations.sigmoidSlope;
import static io.recur.backend.cpu.FastActivations.tanh;
import static io.recur.backend.cpu.FastActivations.tanhSlope;

import io.recur.tensor.Tensor;

/**
 * The pointwise parts of torch's LSTM and GRU cells (Backend#lstmCell, #gruCell and their
 * gradients): one pass per direction, in parallel over rows. A row's gates are blocks of hidden
 * units; the forward activates whole blocks in a row buffer (the activations' loops vectorise only
 * over plain runs, see FastExp.Runs), the backward reads every block at a fixed distance.
 */
final class CpuCells {
    /**
     * Work per hidden unit in CpuParallel's element operations (a float add, about 0.5 ns here),
     * measured at batch 32, hidden 128 on one core: the forward about 9 ns (the activations, one
     * vectorised exponential each, and the buffer copies), the backward about 3.5 ns.
     */
    private static final long FORWARD_COST = 18, BACKWARD_COST = 7;

    private CpuCells() {}

    static void lstm(Tensor gx, Tensor gh, Tensor cPrev, int rows, int hidden, Tensor h, Tensor c, Tensor saved) {
        String op = "lstmCell";
        int width = 4 * hidden;
        requireSize(gx, (long) rows * width, op + " gx");
        if (gh != null) requireSize(gh, (long) rows * width, op + " gh");
        requireSize(cPrev, (long) rows * hidden, op + " cPrev");
        requireSize(h, (long) rows * hidden, op + " h");
        requireSize(c, (long) rows * hidden, op + " c");
        if (saved != null) requireSize(saved, (long) rows * 5 * hidden, op + " saved");
        Summand hs = Summand.of(gh, width);
        float[] xs = f32(gx), cps = f32(cPrev), hout = f32(h), cout = f32(c), ss = saved == null ? null : f32(saved);
        int xo = offset(gx), cpo = offset(cPrev), ho = offset(h), co = offset(c), so = saved == null ? 0 : offset(saved);
        CpuParallel.forRange(rows, hidden * FORWARD_COST, (from, to) -> {
            float[] act = new float[width], tc = new float[hidden], ys = hs.values;
            FastExp.Runs runs = new FastExp.Runs(2 * hidden);
            for (int row = from; row < to; row++) {
                int x = xo + row * width, y = hs.start(row), u = row * hidden;
                for (int j = 0; j < width; j++) act[j] = xs[x + j] + ys[y + j];
                sigmoid(act, 0, 2 * hidden, runs);   // i, f
                tanh(act, 2 * hidden, hidden, runs);   // g
                sigmoid(act, 3 * hidden, hidden, runs);   // o
                for (int j = 0; j < hidden; j++) {
                    float cn = act[hidden + j] * cps[cpo + u + j] + act[j] * act[2 * hidden + j];
                    cout[co + u + j] = cn;
                    tc[j] = cn;
                }
                tanh(tc, 0, hidden, runs);
                for (int j = 0; j < hidden; j++) hout[ho + u + j] = act[3 * hidden + j] * tc[j];
                if (ss != null) {
                    int s = so + row * 5 * hidden;
                    System.arraycopy(act, 0, ss, s, width);
                    System.arraycopy(tc, 0, ss, s + width, hidden);
                }
            }
        });
    }

    static void lstmBackward(Tensor cPrev, Tensor saved, Tensor dH, Tensor dC, int rows, int hidden, Tensor dGates, Tensor dCPrev) {
        String op = "lstmCellBackward";
        long units = (long) rows * hidden;
        requireSize(cPrev, units, op + " cPrev");
        requireSize(saved, 5 * units, op + " saved");
        requireSize(dH, units, op + " dH");
        requireSize(dC, units, op + " dC");
        requireSize(dGates, 4 * units, op + " dGates");
        requireSize(dCPrev, units, op + " dCPrev");
        float[] cps = f32(cPrev), ss = f32(saved), dhs = f32(dH), dcs = f32(dC), dgs = f32(dGates), dcps = f32(dCPrev);
        int cpo = offset(cPrev), so = offset(saved), dho = offset(dH), dco = offset(dC), dgo = offset(dGates), dcpo = offset(dCPrev);
        CpuParallel.forRange(rows, hidden * BACKWARD_COST, (from, to) -> {
            for (int row = from; row < to; row++) {
                int u = row * hidden, s = so + row * 5 * hidden, d = dgo + row * 4 * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = ss[s + j], f = ss[s + hidden + j], g = ss[s + 2 * hidden + j];
                    float o = ss[s + 3 * hidden + j], tc = ss[s + 4 * hidden + j];
                    float dh = dhs[dho + u + j];
                    float dc = dcs[dco + u + j] + dh * o * tanhSlope(tc);
                    dgs[d + j] = dc * g * sigmoidSlope(i);
                    dgs[d + hidden + j] = dc * cps[cpo + u + j] * sigmoidSlope(f);
                    dgs[d + 2 * hidden + j] = dc * i * tanhSlope(g);
                    dgs[d + 3 * hidden + j] = dh * tc * sigmoidSlope(o);
                    dcps[dcpo + u + j] = dc * f;
                }
            }
        });
    }

    static void gru(Tensor gx, Tensor gh, Tensor hPrev, int rows, int hidden, Tensor h, Tensor saved) {
        String op = "gruCell";
        int width = 3 * hidden;
        requireSize(gx, (long) rows * width, op + " gx");
        requireSize(gh, (long) rows * width, op + " gh");
        requireSize(hPrev, (long) rows * hidden, op + " hPrev");
        requireSize(h, (long) rows * hidden, op + " h");
        if (saved != null) requireSize(saved, (long) rows * width, op + " saved");
        float[] xs = f32(gx), ys = f32(gh), hps = f32(hPrev), hout = f32(h), ss = saved == null ? null : f32(saved);
        int xo = offset(gx), yo = offset(gh), hpo = offset(hPrev), ho = offset(h), so = saved == null ? 0 : offset(saved);
        CpuParallel.forRange(rows, hidden * FORWARD_COST, (from, to) -> {
            float[] act = new float[width];
            FastExp.Runs runs = new FastExp.Runs(2 * hidden);
            for (int row = from; row < to; row++) {
                int x = xo + row * width, y = yo + row * width, u = row * hidden;
                for (int j = 0; j < 2 * hidden; j++) act[j] = xs[x + j] + ys[y + j];
                sigmoid(act, 0, 2 * hidden, runs);   // r, z
                for (int j = 0; j < hidden; j++) act[2 * hidden + j] = xs[x + 2 * hidden + j] + act[j] * ys[y + 2 * hidden + j];
                tanh(act, 2 * hidden, hidden, runs);   // n
                for (int j = 0; j < hidden; j++) {
                    float n = act[2 * hidden + j];
                    hout[ho + u + j] = n + act[hidden + j] * (hps[hpo + u + j] - n);   // (1 - z) n + z h_prev
                }
                if (ss != null) System.arraycopy(act, 0, ss, so + row * width, width);
            }
        });
    }

    static void gruBackward(Tensor gh, Tensor hPrev, Tensor saved, Tensor dH, int rows, int hidden,
                            Tensor dGx, Tensor dGh, Tensor dHPrev) {
        String op = "gruCellBackward";
        int width = 3 * hidden;
        long units = (long) rows * hidden;
        requireSize(gh, 3 * units, op + " gh");
        requireSize(hPrev, units, op + " hPrev");
        requireSize(saved, 3 * units, op + " saved");
        requireSize(dH, units, op + " dH");
        requireSize(dGx, 3 * units, op + " dGx");
        requireSize(dGh, 3 * units, op + " dGh");
        requireSize(dHPrev, units, op + " dHPrev");
        float[] ys = f32(gh), hps = f32(hPrev), ss = f32(saved), dhs = f32(dH), dxs = f32(dGx), dys = f32(dGh), dhps = f32(dHPrev);
        int yo = offset(gh), hpo = offset(hPrev), so = offset(saved), dho = offset(dH), dxo = offset(dGx), dyo = offset(dGh),
                dhpo = offset(dHPrev);
        CpuParallel.forRange(rows, hidden * BACKWARD_COST, (from, to) -> {
            for (int row = from; row < to; row++) {
                int u = row * hidden, s = so + row * width, y = yo + row * width, dx = dxo + row * width, dy = dyo + row * width;
                for (int j = 0; j < hidden; j++) {
                    float r = ss[s + j], z = ss[s + hidden + j], n = ss[s + 2 * hidden + j];
                    float dh = dhs[dho + u + j];
                    float dn = dh * (1f - z) * tanhSlope(n);
                    float dz = dh * (hps[hpo + u + j] - n) * sigmoidSlope(z);
                    float dr = dn * ys[y + 2 * hidden + j] * sigmoidSlope(r);
                    dxs[dx + j] = dr;
                    dxs[dx + hidden + j] = dz;
                    dxs[dx + 2 * hidden + j] = dn;
                    dys[dy + j] = dr;
                    dys[dy + hidden + j] = dz;
                    dys[dy + 2 * hidden + j] = dn * r;
                    dhps[dhpo + u + j] = dh * z;
                }
            }
        });
    }

    /** The optional second term of the LSTM's pre-activations: gh's rows, or one row of zeros read by every row. */
    private record Summand(float[] values, int first, int rowStride) {
        static Summand of(Tensor gh, int width) {
            return gh == null ? new Summand(new float[width], 0, 0) : new Summand(f32(gh), offset(gh), width);
        }

        int start(int row) { return first + row * rowStride; }
    }
}
