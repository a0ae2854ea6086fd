package io.recur.ops;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * Rotary position embedding as recurrentgemma applies it (_apply_rope): only the first half of each
 * head's features is rotated, as pairs (i, i + D/4) at frequencies 1 / maxWavelength^(4i / D),
 * i < D/4; the second half passes through unchanged. Differentiable in x (built from ordinary ops;
 * the sin/cos tables are constants).
 */
public final class Rope {
    /** recurrentgemma's _MAX_WAVELENGTH. */
    public static final double MAX_WAVELENGTH = 10_000;

    private Rope() {}

    /**
     * @param x             (batch, T, heads, D) with D a multiple of 4
     * @param firstPosition the position of x[:, 0] in its sequence (segment_pos; 0 for a fresh sequence)
     * @return x rotated, same shape
     */
    public static Tensor firstHalf(Tensor x, int firstPosition) {
        String op = "rope";
        ShapeChecks.floats(op, "x", x);
        if (x.rank() != 4 || x.dim(3) % 4 != 0 || x.dim(3) == 0)
            throw new IllegalArgumentException(op + ": x must be (batch, T, heads, D) with D a positive multiple of 4, got " + x.shape());
        if (firstPosition < 0) throw new IllegalArgumentException(op + ": firstPosition must be >= 0, got " + firstPosition);
        int length = x.dim(1), dim = x.dim(3), quarter = dim / 4;
        float[] sin = new float[length * quarter], cos = new float[length * quarter];
        for (int t = 0; t < length; t++)
            for (int i = 0; i < quarter; i++) {
                double angle = (firstPosition + t) / Math.pow(MAX_WAVELENGTH, 2.0 * i / (dim / 2));
                sin[t * quarter + i] = (float) Math.sin(angle);
                cos[t * quarter + i] = (float) Math.cos(angle);
            }
        Tensor sinT = x.backend().fromArray(sin, Shape.of(length, 1, quarter)), cosT = x.backend().fromArray(cos, Shape.of(length, 1, quarter));
        List<Tensor> parts = Shapes.split(x, new int[] {quarter, quarter, dim - 2 * quarter}, 3);
        Tensor first = parts.get(0), second = parts.get(1);
        Tensor rotatedFirst = Arith.sub(Arith.mul(first, cosT), Arith.mul(second, sinT));
        Tensor rotatedSecond = Arith.add(Arith.mul(second, cosT), Arith.mul(first, sinT));
        return Shapes.concat(List.of(rotatedFirst, rotatedSecond, parts.get(2)), 3);
    }
}
