package io.recur.backend.cpu;

import io.recur.backend.SelectiveScanArgs;
import io.recur.backend.SelectiveScanGrads;
import io.recur.backend.cpu.SelectiveScanData.View;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * The selective scan on the CPU: rows (batch, channel) in parallel over the cores, each scanned by
 * {@link SelectiveScanRow}. Gradients that sum over rows (dA, dD, delta_bias and fixed dB, dC) are
 * collected per row in float64 and summed over the batch afterwards; input-dependent dB and dC,
 * shared by the channels of a group, are added chunk by chunk under a lock per (batch, group).
 */
final class CpuSelectiveScan {
    private CpuSelectiveScan() {}

    /** Element operations of one step of one state (exp, two multiply-adds, the C contraction). */
    private static long cost(SelectiveScanData m) { return (long) m.length * m.n * 8; }

    static void forward(SelectiveScanArgs args, Tensor out, Tensor checkpoints, Tensor lastState) {
        args.checkForward(out, checkpoints, lastState);
        SelectiveScanData m = new SelectiveScanData(args);
        View o = View.of(out), cp = View.of(checkpoints), last = View.of(lastState);
        CpuParallel.forRange(m.batch * m.dim, cost(m), (r0, r1) -> {
            SelectiveScanRow row = new SelectiveScanRow(m, false);
            for (int r = r0; r < r1; r++) row.forward(r, o, cp, last);
        });
    }

    static void backward(SelectiveScanArgs args, Tensor checkpoints, Tensor dOut, Tensor dLastState, SelectiveScanGrads g) {
        args.checkBackward(checkpoints, dOut, dLastState);
        g.check(args);
        SelectiveScanData m = new SelectiveScanData(args);
        int rows = m.batch * m.dim, n = m.n;
        var sums = new SelectiveScanRow.Sums(new double[rows * n], new double[rows * n], new double[rows * n],
                new double[rows], new double[rows]);
        View dB = View.of(g.dB()), dC = View.of(g.dC());
        if (args.variableB()) Arrays.fill(dB.a(), dB.off(), dB.off() + (int) g.dB().size(), 0f);
        if (args.variableC()) Arrays.fill(dC.a(), dC.off(), dC.off() + (int) g.dC().size(), 0f);
        var shared = new SelectiveScanRow.Shared(dB, dC, locks(m.batch * args.groupsB()), locks(m.batch * args.groupsC()));
        var grads = new SelectiveScanRow.Grads(View.of(g.du()), View.of(g.dDelta()), View.of(g.dz()), View.of(g.dh0()));
        View cp = View.of(checkpoints), dO = View.of(dOut), dLast = View.of(dLastState);
        CpuParallel.forRange(rows, cost(m) * 3, (r0, r1) -> {
            SelectiveScanRow row = new SelectiveScanRow(m, true);
            for (int r = r0; r < r1; r++) row.backward(r, cp, dO, dLast, grads, shared, sums);
        });
        sumOverBatch(m, sums.dA(), n, View.of(g.dA()));
        if (!args.variableB()) sumOverBatch(m, sums.dB(), n, dB);
        if (!args.variableC()) sumOverBatch(m, sums.dC(), n, dC);
        if (g.dD() != null) sumOverBatch(m, sums.dD(), 1, View.of(g.dD()));
        if (g.dDeltaBias() != null) sumOverBatch(m, sums.dDeltaBias(), 1, View.of(g.dDeltaBias()));
    }

    /** target[channel, j] = Σ_batch perRow[(batch, channel), j], for width values per row. */
    private static void sumOverBatch(SelectiveScanData m, double[] perRow, int width, View target) {
        for (int ch = 0; ch < m.dim; ch++)
            for (int j = 0; j < width; j++) {
                double s = 0;
                for (int b = 0; b < m.batch; b++) s += perRow[((b * m.dim) + ch) * width + j];
                target.set((long) ch * width + j, (float) s);
            }
    }

    private static Object[] locks(int count) {
        Object[] locks = new Object[count];
        for (int i = 0; i < count; i++) locks[i] = new Object();
        return locks;
    }
}
