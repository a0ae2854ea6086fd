package io.recur.nn.griffin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Loss;
import io.recur.ops.Shapes;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;
import io.recur.testing.TestBackends;
import io.recur.train.checkpoint.ModelCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hawk and Griffin as whole models: reference names, every backend, generation, checkpoints. */
class GriffinModelTest {
    private static final int VOCAB = 11, WIDTH = 8, HEADS = 2, BATCH = 2, T = 7;

    static GriffinConfig hawk() { return GriffinConfig.hawk(VOCAB, WIDTH, 2, HEADS); }

    /** Three blocks (recurrent, recurrent, attention); a window of 3 so 13-token generation evicts from the cache. */
    static GriffinConfig griffin() { return GriffinConfig.griffin(VOCAB, WIDTH, 3, HEADS, 3); }

    static Stream<GriffinConfig> configs() { return Stream.of(hawk(), griffin()); }

    static Stream<Arguments> configsOnBackends() {
        return configs().flatMap(c -> TestBackends.all().stream().map(b -> Arguments.of(c, b)));
    }

    @Test
    void hawkHasTheReferenceParameterNamesAndShapes() {
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("embedder.input_embedding", Shape.of(VOCAB, WIDTH));
        for (int i = 0; i < 2; i++) {
            String p = "blocks." + i + ".";
            expected.put(p + "temporal_pre_norm.scale", Shape.of(WIDTH));
            expected.put(p + "recurrent_block.linear_y.weight", Shape.of(WIDTH, WIDTH));
            expected.put(p + "recurrent_block.linear_y.bias", Shape.of(WIDTH));
            expected.put(p + "recurrent_block.linear_x.weight", Shape.of(WIDTH, WIDTH));
            expected.put(p + "recurrent_block.linear_x.bias", Shape.of(WIDTH));
            expected.put(p + "recurrent_block.linear_out.weight", Shape.of(WIDTH, WIDTH));
            expected.put(p + "recurrent_block.linear_out.bias", Shape.of(WIDTH));
            expected.put(p + "recurrent_block.conv_1d.w", Shape.of(4, WIDTH));
            expected.put(p + "recurrent_block.conv_1d.b", Shape.of(WIDTH));
            expected.put(p + "recurrent_block.rg_lru.a_param", Shape.of(WIDTH));
            expected.put(p + "recurrent_block.rg_lru.input_gate.w", Shape.of(HEADS, WIDTH / HEADS, WIDTH / HEADS));
            expected.put(p + "recurrent_block.rg_lru.input_gate.b", Shape.of(HEADS, WIDTH / HEADS));
            expected.put(p + "recurrent_block.rg_lru.a_gate.w", Shape.of(HEADS, WIDTH / HEADS, WIDTH / HEADS));
            expected.put(p + "recurrent_block.rg_lru.a_gate.b", Shape.of(HEADS, WIDTH / HEADS));
            expected.put(p + "channel_pre_norm.scale", Shape.of(WIDTH));
            expected.put(p + "mlp_block.ffw_up.w", Shape.of(2, WIDTH, 3 * WIDTH));
            expected.put(p + "mlp_block.ffw_up.b", Shape.of(2, 1, 1, 3 * WIDTH));
            expected.put(p + "mlp_block.ffw_down.weight", Shape.of(WIDTH, 3 * WIDTH));
            expected.put(p + "mlp_block.ffw_down.bias", Shape.of(WIDTH));
        }
        expected.put("final_norm.scale", Shape.of(WIDTH));
        assertNamesAndShapes(expected, hawk());
    }

    @Test
    void griffinRepeatsRecurrentRecurrentAttention() {
        assertEquals(List.of(TemporalBlockType.RECURRENT, TemporalBlockType.RECURRENT, TemporalBlockType.ATTENTION,
                TemporalBlockType.RECURRENT), GriffinConfig.griffin(VOCAB, WIDTH, 4, HEADS, 3).blockTypes());
        Map<String, Shape> attention = new LinkedHashMap<>();
        String p = "blocks.2.";
        attention.put(p + "temporal_pre_norm.scale", Shape.of(WIDTH));
        attention.put(p + "attention_block.proj_q.weight", Shape.of(WIDTH, WIDTH));
        attention.put(p + "attention_block.proj_k.weight", Shape.of(WIDTH / HEADS, WIDTH));
        attention.put(p + "attention_block.proj_v.weight", Shape.of(WIDTH / HEADS, WIDTH));
        attention.put(p + "attention_block.proj_final.weight", Shape.of(WIDTH, WIDTH));
        attention.put(p + "attention_block.proj_final.bias", Shape.of(WIDTH));
        attention.put(p + "channel_pre_norm.scale", Shape.of(WIDTH));
        attention.put(p + "mlp_block.ffw_up.w", Shape.of(2, WIDTH, 3 * WIDTH));
        attention.put(p + "mlp_block.ffw_up.b", Shape.of(2, 1, 1, 3 * WIDTH));
        attention.put(p + "mlp_block.ffw_down.weight", Shape.of(WIDTH, 3 * WIDTH));
        attention.put(p + "mlp_block.ffw_down.bias", Shape.of(WIDTH));
        try (Griffin model = new Griffin(new Initializer(Backends.cpu(), 1), griffin())) {
            Map<String, Shape> actual = new LinkedHashMap<>();
            model.namedParameters().forEach((k, v) -> { if (k.startsWith(p)) actual.put(k, v.shape()); });
            assertEquals(new ArrayList<>(attention.entrySet()).toString(), new ArrayList<>(actual.entrySet()).toString());
            assertEquals(2 + 2 + 3, model.stateParts(), "conv + h per recurrent block, keys + values + position for attention");
        }
    }

    static void assertNamesAndShapes(Map<String, Shape> expected, GriffinConfig config) {
        try (Griffin model = new Griffin(new Initializer(Backends.cpu(), 1), config)) {
            Map<String, Shape> actual = new LinkedHashMap<>();
            model.namedParameters().forEach((k, v) -> actual.put(k, v.shape()));
            assertEquals(new ArrayList<>(expected.entrySet()).toString(), new ArrayList<>(actual.entrySet()).toString());
        }
    }

    @Test
    void referenceInitialisation() {
        try (Griffin model = new Griffin(new Initializer(Backends.cpu(), 3), hawk())) {
            Map<String, Tensor> p = model.namedParameters();
            for (float s : p.get("final_norm.scale").toFloatArray()) assertEquals(0f, s);   // (1 + scale) = 1
            for (float b : p.get("blocks.0.recurrent_block.linear_x.bias").toFloatArray()) assertEquals(0f, b);
            // a = exp(-softplus(a_param)) lies on the ring [0.9, 0.999]
            for (float a : p.get("blocks.1.recurrent_block.rg_lru.a_param").toFloatArray()) {
                double radius = Math.exp(-Math.log1p(Math.exp(a)));
                assertTrue(radius >= 0.9 - 1e-6 && radius <= 0.999 + 1e-6, "a = " + radius);
            }
        }
    }

    /** Same seed, same values on every backend: the logits agree with the CPU's, and every parameter gets a finite gradient. */
    @ParameterizedTest @MethodSource("configsOnBackends")
    void forwardAndBackwardOnEveryBackend(GriffinConfig config, Backend backend) {
        Rand rand = Rand.fresh();
        long seed = rand.nextLong();
        int[] ids = rand.ints(BATCH * T, VOCAB), targets = rand.ints(BATCH * T, VOCAB);
        float[] expected = cpuLogits(config, seed, ids);
        long open = MemoryTracker.openTensors();
        try (Griffin model = new Griffin(new Initializer(backend, seed), config); Scope s = Scope.open("test")) {
            Tensor logits = model.forward(backend.fromArray(ids, Shape.of(BATCH, T)), null).output();
            assertEquals(Shape.of(BATCH, T, VOCAB), logits.shape());
            assertArrayEquals(expected, logits.toFloatArray(), 2e-4f, "logits on " + backend.name() + rand.tag());
            Tape.backward(Loss.crossEntropy(Shapes.reshape(logits, BATCH * T, VOCAB), backend.fromArray(targets, Shape.of(BATCH * T))));
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                Tensor g = e.getValue().grad();
                assertNotNull(g, e.getKey() + " has no gradient");
                double norm = 0;
                for (float v : g.toFloatArray()) {
                    assertTrue(Float.isFinite(v), e.getKey() + " gradient is not finite");
                    norm += v * v;
                }
                assertTrue(norm > 0, e.getKey() + " gradient is zero on " + backend.name());
            }
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
    }

    private static float[] cpuLogits(GriffinConfig config, long seed, int[] ids) {
        Backend cpu = Backends.cpu();
        try (Griffin model = new Griffin(new Initializer(cpu, seed), config); Scope s = Scope.open("cpu");
             Tape.NoGrad off = Tape.noGrad()) {
            return model.forward(cpu.fromArray(ids, Shape.of(BATCH, T)), null).output().toFloatArray();
        }
    }

    /** Generation token by token (the state carried) gives the logits of the whole-sequence forward; so does a forward in two chunks. */
    @ParameterizedTest @MethodSource("configsOnBackends")
    void stepsAndChunksEqualTheWholeSequence(GriffinConfig config, Backend backend) {
        Rand rand = Rand.fresh();
        int steps = 13;
        int[] ids = rand.ints(BATCH * steps, VOCAB);
        long open = MemoryTracker.openTensors();
        try (Griffin model = new Griffin(new Initializer(backend, rand.nextLong()), config); Scope s = Scope.open("test");
             Tape.NoGrad off = Tape.noGrad()) {
            Tensor all = backend.fromArray(ids, Shape.of(BATCH, steps));
            float[] expected = model.forward(all, null).output().toFloatArray();
            RecurrentState state = null;
            for (int t = 0; t < steps; t++) {
                SequenceOutput o = model.step(backend.fromArray(columns(ids, steps, t, t + 1), Shape.of(BATCH)), state);
                float[] y = o.output().toFloatArray();
                for (int b = 0; b < BATCH; b++)
                    for (int v = 0; v < VOCAB; v++)
                        assertEquals(expected[(b * steps + t) * VOCAB + v], y[b * VOCAB + v], 2e-4,
                                "step " + t + " on " + backend.name() + rand.tag());
                state = o.state();
            }
            int cut = 5;
            SequenceOutput first = model.forward(backend.fromArray(columns(ids, steps, 0, cut), Shape.of(BATCH, cut)), null);
            Tensor rest = backend.fromArray(columns(ids, steps, cut, steps), Shape.of(BATCH, steps - cut));
            float[] second = model.forward(rest, first.state()).output().toFloatArray();
            for (int b = 0; b < BATCH; b++)
                for (int i = 0; i < (steps - cut) * VOCAB; i++)
                    assertEquals(expected[(b * steps + cut) * VOCAB + i], second[b * (steps - cut) * VOCAB + i], 2e-4,
                            "second chunk on " + backend.name() + rand.tag());
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
    }

    /** Columns [from, to) of ids (BATCH, steps). */
    private static int[] columns(int[] ids, int steps, int from, int to) {
        int[] out = new int[BATCH * (to - from)];
        for (int b = 0; b < BATCH; b++) System.arraycopy(ids, b * steps + from, out, b * (to - from), to - from);
        return out;
    }

    @ParameterizedTest @MethodSource("configs")
    void checkpointRoundTrip(GriffinConfig config, @TempDir Path dir) throws IOException {
        Backend cpu = Backends.cpu();
        try (Griffin saved = new Griffin(new Initializer(cpu, 1), config)) {
            ModelCheckpoint.save(dir, saved, config);
            GriffinConfig read = ModelCheckpoint.readConfig(dir, GriffinConfig.class);
            assertEquals(config, read);
            try (Griffin loaded = new Griffin(new Initializer(cpu, 2), read)) {
                ModelCheckpoint.load(dir, loaded);
                List<String> names = new ArrayList<>(saved.namedParameters().keySet());
                for (String n : names)
                    assertArrayEquals(saved.namedParameters().get(n).toFloatArray(), loaded.namedParameters().get(n).toFloatArray(), n);
            }
        }
    }
}
