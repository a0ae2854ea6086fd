package io.recur.nn.mamba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Shapes;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Rand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** MambaLM's names and shapes (as mamba_ssm's MambaLMHeadModel), generation by steps, the LTI variant. */
class MambaLMTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    /** d_model 8, 2 layers, vocab 10 → padded 16, d_inner 16, N 16, dt_rank 1, d_conv 4: the list mamba_ssm's state_dict has (bar lm_head). */
    @Test
    void namesAndShapesAreMambaSsms() {
        MambaConfig config = MambaConfig.of(8, 2, 10);
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("backbone.embedding.weight", Shape.of(16, 8));
        for (int i = 0; i < 2; i++) {
            String p = "backbone.layers." + i + ".";
            expected.put(p + "mixer.A_log", Shape.of(16, 16));
            expected.put(p + "mixer.D", Shape.of(16));
            expected.put(p + "mixer.in_proj.weight", Shape.of(32, 8));
            expected.put(p + "mixer.conv1d.weight", Shape.of(16, 1, 4));
            expected.put(p + "mixer.conv1d.bias", Shape.of(16));
            expected.put(p + "mixer.x_proj.weight", Shape.of(1 + 32, 16));
            expected.put(p + "mixer.dt_proj.weight", Shape.of(16, 1));
            expected.put(p + "mixer.dt_proj.bias", Shape.of(16));
            expected.put(p + "mixer.out_proj.weight", Shape.of(8, 16));
            expected.put(p + "norm.weight", Shape.of(8));
        }
        expected.put("backbone.norm_f.weight", Shape.of(8));
        try (MambaLM lm = new MambaLM(new Initializer(Backends.cpu(), 1), config)) {
            Map<String, Shape> actual = new LinkedHashMap<>();
            lm.namedParameters().forEach((k, v) -> actual.put(k, v.shape()));
            assertEquals(List.copyOf(expected.entrySet()), List.copyOf(actual.entrySet()));
        }
    }

    /** bias=true adds in_proj.bias and out_proj.bias (zeros, as mamba_ssm's _init_weights leaves them); conv_bias=false drops conv1d.bias. */
    @Test
    void optionalBiases() {
        SsmConfig s = SsmConfig.defaults().withBias(true);
        s = new SsmConfig(s.dState(), s.dConv(), s.expand(), 3, s.dtMin(), s.dtMax(), s.dtInitFloor(), s.dtScale(), false, true, true);
        try (MambaLM lm = new MambaLM(new Initializer(Backends.cpu(), 1), MambaConfig.of(8, 1, 10).withSsm(s))) {
            Map<String, Tensor> p = lm.namedParameters();
            assertArrayEquals(new float[32], p.get("backbone.layers.0.mixer.in_proj.bias").toFloatArray());
            assertArrayEquals(new float[8], p.get("backbone.layers.0.mixer.out_proj.bias").toFloatArray());
            assertEquals(Shape.of(16, 3), p.get("backbone.layers.0.mixer.dt_proj.weight").shape());
            assertTrue(!p.containsKey("backbone.layers.0.mixer.conv1d.bias"));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void stepByStepGenerationEqualsTheFullForward(Backend backend) { stepsEqualForward(backend, SsmConfig.defaults().withDState(4)); }

    @ParameterizedTest @MethodSource(BACKENDS)
    void ltiVariantStepsEqualItsForward(Backend backend) { stepsEqualForward(backend, SsmConfig.defaults().withDState(4).withSelective(false)); }

    /** Logits of the full forward, of one step at a time, and of two chunks (the first shorter than the conv's memory) agree. */
    private static void stepsEqualForward(Backend backend, SsmConfig ssm) {
        Rand rand = Rand.fresh();
        int batch = 2, length = 7, vocab = 11;
        MambaConfig config = MambaConfig.of(8, 2, vocab).withSsm(ssm);
        try (MambaLM lm = new MambaLM(new Initializer(backend, rand.nextLong()), config); Scope s = Scope.open("test");
             Tape.NoGrad off = Tape.noGrad()) {
            int[] ids = rand.ints(batch * length, vocab);
            Tensor tokens = backend.fromArray(ids, Shape.of(batch, length));
            SequenceOutput whole = lm.forward(tokens, null);
            int width = config.paddedVocabSize();
            assertEquals(Shape.of(batch, length, width), whole.output().shape());
            float[] expected = whole.output().toFloatArray();

            RecurrentState state = null;
            for (int t = 0; t < length; t++) {
                int[] column = new int[batch];
                for (int b = 0; b < batch; b++) column[b] = ids[b * length + t];
                SequenceOutput o = lm.step(backend.fromArray(column, Shape.of(batch)), state);
                float[] logits = o.output().toFloatArray();
                for (int b = 0; b < batch; b++)
                    for (int v = 0; v < width; v++)
                        assertEquals(expected[(b * length + t) * width + v], logits[b * width + v], 2e-5,
                                "step " + t + ", sequence " + b + ", token " + v + " on " + backend.name() + rand.tag());
                state = o.state();
            }
            assertStatesEqual(whole.state(), state);

            SequenceOutput first = lm.forward(columns(backend, ids, batch, length, 0, 2), null);
            SequenceOutput rest = lm.forward(columns(backend, ids, batch, length, 2, length), first.state());
            float[] chunked = Shapes.concat(List.of(first.output(), rest.output()), 1).toFloatArray();
            assertArrayEquals(expected, chunked, 2e-5f, "two chunks vs whole" + rand.tag());
            assertStatesEqual(whole.state(), rest.state());
        }
    }

    @Test
    void ltiVariantHasFixedProjectionsInsteadOfXProjAndDtProj() {
        try (MambaLM lm = new MambaLM(new Initializer(Backends.cpu(), 1), MambaConfig.of(8, 1, 10).withSsm(SsmConfig.defaults().withSelective(false)))) {
            Map<String, Tensor> p = lm.namedParameters();
            String m = "backbone.layers.0.mixer.";
            assertEquals(Shape.of(16, 16), p.get(m + "B").shape());
            assertEquals(Shape.of(16, 16), p.get(m + "C").shape());
            assertEquals(Shape.of(16), p.get(m + "dt_bias").shape());
            assertTrue(!p.containsKey(m + "x_proj.weight") && !p.containsKey(m + "dt_proj.weight"));
        }
    }

    @Test
    void rejectsTokensOfTheWrongKind() {
        Backend cpu = Backends.cpu();
        try (MambaLM lm = new MambaLM(new Initializer(cpu, 1), MambaConfig.of(8, 1, 10)); Scope s = Scope.open("test")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lm.forward(cpu.zeros(Shape.of(2, 3)), null));
            assertTrue(e.getMessage().contains("int32 (batch, L)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lm.step(cpu.fromArray(new int[] {1, 2}, Shape.of(2)), RecurrentState.of(cpu.zeros(Shape.of(1)))));
            assertTrue(e.getMessage().contains("state has 1 parts, expected 2"), e.getMessage());
        }
    }

    private static Tensor columns(Backend backend, int[] ids, int batch, int length, int from, int to) {
        int[] part = new int[batch * (to - from)];
        for (int b = 0; b < batch; b++) System.arraycopy(ids, b * length + from, part, b * (to - from), to - from);
        return backend.fromArray(part, Shape.of(batch, to - from));
    }

    private static void assertStatesEqual(RecurrentState expected, RecurrentState actual) {
        assertEquals(expected.size(), actual.size());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.part(i).shape(), actual.part(i).shape(), "state part " + i);
            float[] a = expected.part(i).toFloatArray(), b = actual.part(i).toFloatArray();
            for (int j = 0; j < a.length; j++) if (Math.abs(a[j] - b[j]) > 2e-5) problems.add("part " + i + "[" + j + "]: " + a[j] + " vs " + b[j]);
        }
        assertTrue(problems.isEmpty(), problems.toString());
    }
}
