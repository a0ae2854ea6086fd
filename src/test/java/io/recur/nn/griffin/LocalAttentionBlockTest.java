package io.recur.nn.griffin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.nn.Initializer;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attention block's reach is the reference's mask (q_pos <= k_pos + attention_window_size):
 * changing the input at position p changes the outputs at p … p + window and no others.
 */
class LocalAttentionBlockTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void anInputReachesExactlyTheNextWindowPositions(Backend backend) {
        Rand rand = Rand.fresh();
        int window = 3, length = 10, width = 8, changed = 2;
        GriffinConfig config = GriffinConfig.griffin(5, width, 3, 2, window);
        try (LocalAttentionBlock block = new LocalAttentionBlock(new Initializer(backend, rand.nextLong()), config, 1.0);
             Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            float[] x = rand.normal(1, length, width).toFloats();
            float[] before = block.forward(backend.fromArray(x, Shape.of(1, length, width))).toFloatArray();
            for (int i = 0; i < width; i++) x[changed * width + i] += 1f;
            float[] after = block.forward(backend.fromArray(x, Shape.of(1, length, width))).toFloatArray();
            for (int t = 0; t < length; t++) {
                double diff = 0;
                for (int i = 0; i < width; i++) diff = Math.max(diff, Math.abs(after[t * width + i] - before[t * width + i]));
                boolean reached = t >= changed && t <= changed + window;
                if (reached) assertTrue(diff > 1e-6, "position " + t + " should see position " + changed + rand.tag());
                else assertEquals(0, diff, 0, "position " + t + " must not see position " + changed + rand.tag());
            }
        }
    }
}
