package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Tensor;

/**
 * The RG-LRU (Backend#rgLru and its gradient) on the CPU: rows of (batch element, channel tile) run
 * through {@link AssociativeScan}, in parallel over rows, or cut into time chunks when rows are
 * fewer than cores.
 */
final class CpuRgLru {
    /**
     * A reduce step costs about as much as a scan step: both recompute the gates (the transcendental
     * functions dominate); the reduce only skips writing.
     */
    private static final double REDUCE_COST = 0.9;

    private CpuRgLru() {}

    static void forward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0,
                        int batch, int length, int width, Tensor h) {
        RgLruCall call = call("rgLru", x, gateXPre, gateAPre, lambda, resets, h0, h, batch, length, width);
        requireSize(h, (long) batch * length * width, "rgLru h");
        AssociativeScan.run(call.rows(), length, REDUCE_COST, r -> new RgLruForward(call, r));
    }

    static void backward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0, Tensor h,
                         Tensor gradH, int batch, int length, int width,
                         Tensor dx, Tensor dGateXPre, Tensor dGateAPre, Tensor dLambda, Tensor dh0) {
        String op = "rgLruBackward";
        RgLruCall call = call(op, x, gateXPre, gateAPre, lambda, resets, h0, h, batch, length, width);
        long size = (long) batch * length * width;
        requireSize(h, size, op + " h");
        requireSize(gradH, size, op + " gradH");
        requireSize(dx, size, op + " dx");
        requireSize(dGateXPre, size, op + " dGateXPre");
        requireSize(dGateAPre, size, op + " dGateAPre");
        if (dLambda != null) requireSize(dLambda, width, op + " dLambda");
        if (dh0 != null) requireSize(dh0, (long) batch * width, op + " dh0");
        double[] dSoftplus = new double[width];
        var grads = new RgLruBackward.Grads(f32(gradH), offset(gradH), f32(dx), offset(dx), f32(dGateXPre), offset(dGateXPre),
                f32(dGateAPre), offset(dGateAPre), dh0 == null ? null : f32(dh0), dh0 == null ? 0 : offset(dh0), dSoftplus);
        if (length == 0 && dh0 != null) java.util.Arrays.fill(f32(dh0), offset(dh0), offset(dh0) + batch * width, 0f);
        AssociativeScan.run(call.rows(), length, REDUCE_COST, r -> new RgLruBackward(call, grads, r));
        if (dLambda != null) {
            float[] lam = f32(lambda), dl = f32(dLambda);
            for (int c = 0; c < width; c++)
                dl[offset(dLambda) + c] = (float) (dSoftplus[c] * RgLruGates.softplusDerivative(lam[offset(lambda) + c]));
        }
    }

    private static RgLruCall call(String op, Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets,
                                  Tensor h0, Tensor h, int batch, int length, int width) {
        long size = (long) batch * length * width;
        requireSize(x, size, op + " x");
        requireSize(gateXPre, size, op + " gateXPre");
        requireSize(gateAPre, size, op + " gateAPre");
        requireSize(lambda, width, op + " lambda");
        if (resets != null) requireSize(resets, (long) batch * length, op + " resets");
        if (h0 != null) requireSize(h0, (long) batch * width, op + " h0");
        float[] lam = f32(lambda), softplus = new float[width];
        for (int c = 0; c < width; c++) softplus[c] = RgLruGates.softplus(lam[offset(lambda) + c]);
        return new RgLruCall(f32(x), offset(x), f32(gateXPre), offset(gateXPre), f32(gateAPre), offset(gateAPre),
                resets == null ? null : f32(resets), resets == null ? 0 : offset(resets), h0 == null ? null : f32(h0),
                h0 == null ? 0 : offset(h0), h == null ? null : f32(h), h == null ? 0 : offset(h), softplus, batch, length, width);
    }
}
