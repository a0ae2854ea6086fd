package io.recur.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.io.SafeTensors;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Saving and loading optimizer state: interrupted and uninterrupted runs agree bit for bit. */
class OptimizerStateTest {
    private static final Map<String, Function<List<ParameterGroup>, Optimizer>> OPTIMIZERS = Map.of(
            "adamw", g -> new AdamW(g, AdamW.Settings.defaults()),
            "sgd", g -> new Sgd(g, new Sgd.Settings(0.9, true)),
            // roots refreshed at steps 2, 5, 8: the resumed half starts between two refreshes
            "shampoo", g -> new Shampoo(g, Shampoo.Settings.defaults().withSchedule(2, 3).withMomentum(0.9, true)),
            "soap", g -> new Soap(g, Soap.Settings.defaults().withFrequency(3)));

    /** A parameter pair and a gradient stream fixed by the seed: step t's gradients depend only on t. */
    private static Map<String, Tensor> parameters(Backend b) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("layer.weight", b.fromArray(floats(new SplittableRandom(1), 12), Shape.of(3, 4)).requiresGrad(true));
        named.put("layer.bias", b.fromArray(floats(new SplittableRandom(2), 4), Shape.of(4)).requiresGrad(true));
        return named;
    }

    private static void gradients(Map<String, Tensor> named, int step) {
        int k = 0;
        for (Tensor p : named.values())
            p.setGrad(p.backend().fromArray(floats(new SplittableRandom(100L * step + k++), (int) p.size()), p.shape()));
    }

    private static float[] floats(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @ParameterizedTest @ValueSource(strings = {"adamw", "sgd", "shampoo", "soap"})
    void saveLoadContinueEqualsUninterrupted(String kind, @TempDir Path dir) throws Exception {
        Backend cpu = Backends.cpu();
        try (BackendFixture f = BackendFixture.on(cpu)) {
            Map<String, Tensor> straight = parameters(cpu);
            try (Optimizer opt = OPTIMIZERS.get(kind).apply(ParameterGroup.decayMatricesOnly(straight, 0.01))) {
                for (int t = 0; t < 8; t++) { gradients(straight, t); opt.step(0.01); }
            }
            Map<String, Tensor> resumed = parameters(cpu);
            Path file = dir.resolve("optimizer.safetensors");
            try (Optimizer first = OPTIMIZERS.get(kind).apply(ParameterGroup.decayMatricesOnly(resumed, 0.01))) {
                for (int t = 0; t < 4; t++) { gradients(resumed, t); first.step(0.01); }
                SafeTensors.write(file, first.state());
            }
            try (Optimizer second = OPTIMIZERS.get(kind).apply(ParameterGroup.decayMatricesOnly(resumed, 0.01));
                 SafeTensors.Contents saved = SafeTensors.read(file, cpu)) {
                second.loadState(saved.tensors());
                assertEquals(4, second.steps());
                for (int t = 4; t < 8; t++) { gradients(resumed, t); second.step(0.01); }
            }
            for (String name : straight.keySet())
                f.assertBitsEqual(straight.get(name).toFloatArray(), resumed.get(name), name + " after resume");
        }
    }

    @Test
    void stateNamesFollowTheParametersAndResetClearsIt() {
        Backend cpu = Backends.cpu();
        try (BackendFixture f = BackendFixture.on(cpu)) {
            Map<String, Tensor> named = parameters(cpu);
            try (AdamW opt = new AdamW(ParameterGroup.decayMatricesOnly(named, 0.1), AdamW.Settings.defaults())) {
                gradients(named, 0);
                opt.step(0.1);
                Map<String, Tensor> state = opt.state();
                assertEquals(List.of("layer.weight.exp_avg", "layer.weight.exp_avg_sq", "layer.bias.exp_avg", "layer.bias.exp_avg_sq", "step"),
                        List.copyOf(state.keySet()));
                assertArrayEquals(new long[] {1}, state.get("step").toLongArray());
                assertTrue(Math.abs(state.get("layer.bias.exp_avg").toFloatArray()[0]) > 0);
                opt.reset();
                assertEquals(0, opt.steps());
                assertArrayEquals(new float[4], opt.state().get("layer.bias.exp_avg").toFloatArray());
            }
        }
    }

    @Test
    void mismatchedStateIsAClearError() {
        Backend cpu = Backends.cpu();
        try (BackendFixture f = BackendFixture.on(cpu)) {
            Map<String, Tensor> named = parameters(cpu);
            try (Optimizer adam = new AdamW(ParameterGroup.of(List.copyOf(named.values())), AdamW.Settings.defaults());
                 Optimizer sgd = new Sgd(ParameterGroup.decayMatricesOnly(named, 0), new Sgd.Settings(0.9, false))) {
                var e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(sgd.state()));
                assertTrue(e.getMessage().contains("missing [0.exp_avg") && e.getMessage().contains("unexpected [layer.bias.momentum_buffer"), e.getMessage());
            }
        }
    }

    @Test
    void aParameterInTwoGroupsIsRejected() {
        Backend cpu = Backends.cpu();
        try (BackendFixture f = BackendFixture.on(cpu)) {
            Tensor p = cpu.zeros(Shape.of(2)).requiresGrad(true);
            var groups = List.of(new ParameterGroup("a", Map.of("x", p), 0), new ParameterGroup("b", Map.of("y", p), 0));
            var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(groups, Sgd.Settings.plain()));
            assertTrue(e.getMessage().contains("twice, as 'x' and 'y'"), e.getMessage());
        }
    }
}
