package io.recur.nn.mamba;

import io.recur.testing.Conv1dReference;
import io.recur.testing.D;
import io.recur.testing.SelectiveScanReference;
import java.util.List;

/**
 * mamba_ssm's Mamba.forward (the slow path, selective_scan_ref) in float64 with plain loops. For a
 * selective mixer: h (batch, L, d_model) and the parameters in torch's state_dict order (A_log, D,
 * in_proj.weight, conv1d.weight, conv1d.bias, x_proj.weight, dt_proj.weight, dt_proj.bias,
 * out_proj.weight), optionally followed by conv_state and ssm_state.
 */
final class MambaMixerReference {
    record Output(D y, D convState, D ssmState) {}

    private MambaMixerReference() {}

    static Output forward(List<D> in, int dState, int dtRank) {
        D h = in.get(0), aLog = in.get(1), d = in.get(2), wIn = in.get(3), wConv = in.get(4), bConv = in.get(5), wX = in.get(6);
        D wDt = in.get(7), bDt = in.get(8), wOut = in.get(9);
        D convState = in.size() > 10 ? in.get(10) : null, ssmState = in.size() > 11 ? in.get(11) : null;
        int batch = h.shape[0], length = h.shape[1], e = wIn.shape[0] / 2, n = dState, r = dtRank;
        D[] xz = inProj(h, wIn);
        D u = conv(xz[0], wConv, bConv, convState);
        D delta = D.zeros(batch, e, length), bSel = D.zeros(batch, 1, n, length), cSel = D.zeros(batch, 1, n, length);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++) {
                double[] dbl = new double[r + 2 * n];
                for (int j = 0; j < dbl.length; j++)
                    for (int c = 0; c < e; c++) dbl[j] += wX.data[j * e + c] * u.data[(b * e + c) * length + t];
                for (int c = 0; c < e; c++) {
                    double s = 0;
                    for (int k = 0; k < r; k++) s += wDt.data[c * r + k] * dbl[k];
                    delta.data[(b * e + c) * length + t] = s;
                }
                for (int s = 0; s < n; s++) {
                    bSel.data[(b * n + s) * length + t] = dbl[r + s];
                    cSel.data[(b * n + s) * length + t] = dbl[r + n + s];
                }
            }
        SelectiveScanReference.Outputs scan = SelectiveScanReference.forward(
                new SelectiveScanReference.Inputs(u, delta, aLog.map(v -> -Math.exp(v)), bSel, cSel, d, xz[1], bDt, ssmState, true));
        return new Output(outProj(scan.out(), wOut, batch, length, e), lastConvInputs(xz[0], convState, wConv.shape[2]),
                new D(scan.last(), batch, e, n));
    }

    /**
     * The LTI ablation: parameters in its order (B, C, dt_bias, A_log, D, in_proj.weight,
     * conv1d.weight, conv1d.bias, out_proj.weight); δ = softplus(dt_bias), B and C (d_inner, N) fixed.
     */
    static D forwardLti(List<D> in) {
        D h = in.get(0), bFixed = in.get(1), cFixed = in.get(2), dtBias = in.get(3), aLog = in.get(4), d = in.get(5);
        D wIn = in.get(6), wConv = in.get(7), bConv = in.get(8), wOut = in.get(9);
        int batch = h.shape[0], length = h.shape[1], e = wIn.shape[0] / 2;
        D[] xz = inProj(h, wIn);
        D u = conv(xz[0], wConv, bConv, null);
        SelectiveScanReference.Outputs scan = SelectiveScanReference.forward(new SelectiveScanReference.Inputs(
                u, D.zeros(batch, e, length), aLog.map(v -> -Math.exp(v)), bFixed, cFixed, d, xz[1], dtBias, null, true));
        return outProj(scan.out(), wOut, batch, length, e);
    }

    /** in_proj, then x and z channels-first (batch, d_inner, L). */
    private static D[] inProj(D h, D wIn) {
        int batch = h.shape[0], length = h.shape[1], dModel = h.shape[2], e = wIn.shape[0] / 2;
        D x = D.zeros(batch, e, length), z = D.zeros(batch, e, length);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
                for (int j = 0; j < 2 * e; j++) {
                    double s = 0;
                    for (int k = 0; k < dModel; k++) s += wIn.data[j * dModel + k] * h.data[(b * length + t) * dModel + k];
                    (j < e ? x : z).data[(b * e + j % e) * length + t] = s;
                }
        return new D[] {x, z};
    }

    /** SiLU of the causal depthwise conv; weight (d_inner, 1, W) read as (d_inner, W). */
    private static D conv(D x, D wConv, D bConv, D state) {
        int batch = x.shape[0], e = x.shape[1], length = x.shape[2];
        return new D(Conv1dReference.forward(x.data, wConv.data, bConv.data, state == null ? null : state.data, batch, e, length,
                wConv.shape[2], true), batch, e, length);
    }

    /** out_proj of the scan's output (batch, d_inner, L) → (batch, L, d_model). */
    private static D outProj(double[] out, D wOut, int batch, int length, int e) {
        int dModel = wOut.shape[0];
        D y = D.zeros(batch, length, dModel);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
                for (int m = 0; m < dModel; m++) {
                    double s = 0;
                    for (int c = 0; c < e; c++) s += wOut.data[m * e + c] * out[(b * e + c) * length + t];
                    y.data[(b * length + t) * dModel + m] = s;
                }
        return y;
    }

    /** The last width-1 conv inputs: the state before x followed by x. */
    private static D lastConvInputs(D x, D state, int width) {
        int batch = x.shape[0], e = x.shape[1], length = x.shape[2], keep = width - 1;
        D out = D.zeros(batch, e, keep);
        for (int row = 0; row < batch * e; row++)
            for (int k = 0; k < keep; k++) {
                int t = length - keep + k;
                out.data[row * keep + k] = t >= 0 ? x.data[row * length + t] : state == null ? 0 : state.data[row * keep + keep + t];
            }
        return out;
    }
}
