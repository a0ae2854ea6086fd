package io.recur.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.ops.Shapes;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Generation steps (one x_t at a time, state carried) reproduce the whole-sequence forward. */
class RecurrentStepTest {
    private static final int BATCH = 2, STEPS = 6, D = 4;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void stepsEqualTheSequence(Backend backend) {
        check(backend, init -> new LSTM(init, new RecurrentConfig(D, D, 2, true, true)));
        check(backend, init -> new GRU(init, new RecurrentConfig(D, D, 2, true, true)));
        check(backend, init -> ResidualStack.lstm(init, D, 2));
        check(backend, init -> ResidualStack.gru(init, D, 2));
        check(backend, init -> ResidualStack.lru(init, D, 2, 3));
    }

    private static void check(Backend backend, Function<Initializer, SequenceLayer> make) {
        Rand rand = Rand.fresh();
        long open = MemoryTracker.openTensors();
        try (SequenceLayer layer = make.apply(new Initializer(backend, rand.nextLong())); Scope s = Scope.open("test");
             Tape.NoGrad off = Tape.noGrad()) {
            Tensor x = rand.uniform(-1, 1, BATCH, STEPS, D).toTensor(backend);
            SequenceOutput whole = layer.forward(x, null);
            float[] expected = whole.output().toFloatArray();
            int out = whole.output().dim(2);
            RecurrentState state = null;
            for (int t = 0; t < STEPS; t++) {
                Tensor xt = Shapes.reshape(Shapes.slice(x, 1, t, t + 1), BATCH, D);
                SequenceOutput o = layer.step(xt, state);
                float[] y = o.output().toFloatArray();
                for (int b = 0; b < BATCH; b++)
                    for (int i = 0; i < out; i++)
                        assertEquals(expected[(b * STEPS + t) * out + i], y[b * out + i], 2e-5,
                                layer.getClass().getSimpleName() + " step " + t + " on " + backend.name() + rand.tag());
                state = o.state();
            }
            for (int p = 0; p < state.size(); p++)
                assertArrayEquals(whole.state().part(p).toFloatArray(), state.part(p).toFloatArray(), 2e-5f, "final state part " + p);
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
    }
}
