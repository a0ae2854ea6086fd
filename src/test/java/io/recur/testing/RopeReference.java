package io.recur.testing;

/** recurrentgemma's RoPE in float64 on x (batch, T, heads, D): the first half of each head rotated from position offset. */
public final class RopeReference {
    private RopeReference() {}

    /** _apply_rope written out per element. */
    public static D firstHalf(D x, int offset) {
        int b = x.shape[0], t = x.shape[1], h = x.shape[2], dim = x.shape[3], quarter = dim / 4;
        D out = x.copy();
        for (int bi = 0; bi < b; bi++)
            for (int ti = 0; ti < t; ti++)
                for (int hi = 0; hi < h; hi++) {
                    int base = ((bi * t + ti) * h + hi) * dim;
                    for (int i = 0; i < quarter; i++) {
                        double angle = (offset + ti) / Math.pow(10_000, 2.0 * i / (dim / 2));
                        double first = x.data[base + i], second = x.data[base + quarter + i];
                        out.data[base + i] = first * Math.cos(angle) - second * Math.sin(angle);
                        out.data[base + quarter + i] = second * Math.cos(angle) + first * Math.sin(angle);
                    }
                }
        return out;
    }
}
