package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.RopeReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** recurrentgemma's RoPE on the first half of each head, forward and gradient, from an offset position. */
class RopeTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void rotatesTheFirstHalfOfEachHead(Backend backend) {
        Rand rand = Rand.fresh();
        for (int offset : new int[] {0, 11})
            OpCheck.named("rope from " + offset).input(rand.normal(2, 5, 3, 8))
                    .run(backend, rand, t -> Rope.firstHalf(t.get(0), offset), d -> RopeReference.firstHalf(d.get(0), offset));
    }
}
