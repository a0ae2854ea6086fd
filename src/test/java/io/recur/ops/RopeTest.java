package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** recurrentgemma's RoPE on the first half of each head, forward and gradient, from an offset position. */
class RopeTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void rotatesTheFirstHalfOfEachHead(Backend backend) {
        Rand rand = Rand.fresh();
        for (int offset : new int[] {0, 11})
            OpCheck.named("rope from " + offset).input(rand.normal(2, 5, 3, 8))
                    .run(backend, rand, t -> Rope.firstHalf(t.get(0), offset), d -> reference(d.get(0), offset));
    }

    /** _apply_rope written out per element. */
    private static D reference(D x, int offset) {
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
