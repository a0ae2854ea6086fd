package io.recur.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.RecurrentState;
import io.recur.nn.ResidualStack;
import io.recur.nn.SequenceModel;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Shapes;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelsTest {
    private static final Backend CPU = Backends.cpu();

    private static ModelConfig tokens(String type, boolean tied) { return tokens(type, tied, 2); }

    private static ModelConfig tokens(String type, boolean tied, int layers) { return new ModelConfig(type, 8, layers, 4, 11, 0, 11, tied, 1e-5); }

    @Test
    void parameterNamesFollowMambaLMHeadModel() {
        try (SequenceModel m = Models.create(tokens("gru", false), new Initializer(CPU, 1))) {
            List<String> names = List.copyOf(m.namedParameters().keySet());
            assertEquals("backbone.embedding.weight", names.getFirst());
            assertTrue(names.contains("backbone.layers.0.norm.weight"), names.toString());
            assertTrue(names.contains("backbone.layers.1.mixer.weight_hh_l0"), names.toString());
            assertEquals(List.of("backbone.norm_f.weight", "lm_head.weight"), names.subList(names.size() - 2, names.size()));
        }
    }

    /** The registry's Mamba is mamba_ssm's MambaLMHeadModel layout: blocks of norm and mixer, d_state from state_size. */
    @Test
    void registeredMambaHasTheMixerNamesAndShapes() {
        try (SequenceModel m = Models.create(tokens("mamba", true), new Initializer(CPU, 1))) {
            var params = m.namedParameters();
            assertEquals(Shape.of(16, 4), params.get("backbone.layers.1.mixer.A_log").shape());          // d_inner = 2 d_model, N = 4
            assertEquals(Shape.of(32, 8), params.get("backbone.layers.0.mixer.in_proj.weight").shape());
            assertEquals(Shape.of(16, 1, 4), params.get("backbone.layers.0.mixer.conv1d.weight").shape());
            assertTrue(params.containsKey("backbone.layers.0.norm.weight") && !params.containsKey("lm_head.weight"), params.keySet().toString());
        }
        try (SequenceModel m = Models.create(tokens("mamba-lti", false), new Initializer(CPU, 1))) {
            assertFalse(m.namedParameters().containsKey("backbone.layers.0.mixer.x_proj.weight"), "the LTI ablation has no input-dependent projections");
        }
    }

    /** On language tasks Hawk and Griffin are wrapped whole, with recurrentgemma's names: no backbone prefix, no separate head. */
    @Test
    void registeredHawkAndGriffinHaveRecurrentgemmaNames() {
        try (SequenceModel m = Models.create(tokens("hawk", false), new Initializer(CPU, 1))) {
            var params = m.namedParameters();
            List<String> names = List.copyOf(params.keySet());
            assertEquals("embedder.input_embedding", names.getFirst());
            assertEquals("final_norm.scale", names.getLast());
            assertEquals(Shape.of(11, 8), params.get("embedder.input_embedding").shape());
            assertTrue(params.containsKey("blocks.1.recurrent_block.rg_lru.a_param"), names.toString());
            assertTrue(names.stream().noneMatch(n -> n.startsWith("backbone.") || n.startsWith("lm_head")), names.toString());
        }
        try (SequenceModel m = Models.create(new ModelConfig("griffin", 64, 3, 4, 11, 0, 11, false, 1e-5), new Initializer(CPU, 1))) {
            var params = m.namedParameters();
            assertTrue(params.containsKey("blocks.2.attention_block.proj_q.weight"), params.keySet().toString());
            assertEquals(Shape.of(32, 64), params.get("blocks.2.attention_block.proj_k.weight").shape());   // 2 heads of 32
        }
        // Off language tasks the same blocks are a backbone between the input layer and lm_head.
        try (SequenceModel m = Models.create(new ModelConfig("hawk", 8, 1, 4, 0, 3, 1, false, 1e-5), new Initializer(CPU, 1))) {
            List<String> names = List.copyOf(m.namedParameters().keySet());
            assertEquals("backbone.input_proj.weight", names.getFirst());
            assertTrue(names.contains("backbone.blocks.0.recurrent_block.rg_lru.a_param"), names.toString());
            assertEquals(List.of("backbone.final_norm.scale", "lm_head.weight"), names.subList(names.size() - 2, names.size()));
        }
    }

    @Test
    void headsAreTheLargestFittingDivisor() {
        assertEquals(1, Models.heads(16, true));
        assertEquals(2, Models.heads(64, true));
        assertEquals(3, Models.heads(96, false));
        assertEquals(2, Models.heads(100, false));  // 3 does not divide 100
        assertEquals(1, Models.heads(100, true));   // heads of 50 are not a multiple of 4
        assertEquals(10, Models.heads(320, true));
    }

    @Test
    void aTiedHeadIsTheEmbeddingAndIsStoredOnce() {
        try (SequenceModel m = Models.create(tokens("lstm", true), new Initializer(CPU, 1)); Scope s = Scope.open("test")) {
            assertFalse(m.namedParameters().containsKey("lm_head.weight"));
            Tensor ids = CPU.fromArray(new int[] {1, 2, 3}, Shape.of(1, 3));
            Tape.backward(io.recur.ops.Reduce.sum(m.forward(ids)));
            assertTrue(m.namedParameters().get("backbone.embedding.weight").grad() != null);
        }
    }

    @Test
    void featureModelsReadThroughAProjection() {
        var config = new ModelConfig("lru", 8, 1, 4, 0, 3, 1, false, 1e-5);
        try (SequenceModel m = Models.create(config, new Initializer(CPU, 1)); Scope s = Scope.open("test")) {
            assertTrue(m.namedParameters().containsKey("backbone.input_proj.bias"));
            assertEquals(Shape.of(2, 5, 1), m.forward(CPU.zeros(Shape.of(2, 5, 3))).shape());
            var e = assertThrows(IllegalArgumentException.class, () -> m.forward(CPU.zeros(Shape.of(2, 5, 4))));
            assertTrue(e.getMessage().contains("(batch, time, 3)"), e.getMessage());
        }
    }

    /** Reading a sequence one step at a time with the carried state gives the outputs of the whole-sequence forward (3 layers: Griffin's third attends). */
    @ParameterizedTest @ValueSource(strings = {"lstm", "gru", "lru", "mamba", "mamba-lti", "hawk", "griffin"})
    void stepsAgreeWithTheWholeSequence(String type) {
        int[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
        try (SequenceModel m = Models.create(tokens(type, false, 3), new Initializer(CPU, 7));
             Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            float[] whole = m.forward(CPU.fromArray(ids, Shape.of(1, ids.length))).toFloatArray();
            RecurrentState state = null;
            for (int t = 0; t < ids.length; t++) {
                SequenceOutput o = m.step(CPU.fromArray(new int[] {ids[t]}, Shape.of(1)), state);
                state = o.state();
                float[] step = Shapes.reshape(o.output(), 11).toFloatArray();
                for (int c = 0; c < 11; c++)
                    assertEquals(whole[t * 11 + c], step[c], 1e-5, type + ": step " + t + ", logit " + c);
            }
        }
    }

    @Test
    void unknownModelsListTheKnownOnesAndNewOnesPlugIn() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create(tokens("transformer", false), new Initializer(CPU, 1)));
        assertTrue(e.getMessage().contains("unknown model 'transformer': known models are griffin, gru, hawk, lru, lsnn, lstm"), e.getMessage());
        Models.register("test-gru-3", (init, c) -> new ResidualStack(init, c.dModel(), 3, 1e-5f, (in, d, i) -> new GRU(in, new RecurrentConfig(d, d, 1, true, true))));
        try (SequenceModel m = Models.create(tokens("test-gru-3", false), new Initializer(CPU, 1))) {
            assertTrue(m.namedParameters().containsKey("backbone.layers.2.mixer.weight_ih_l0"));
        }
        assertTrue(Models.names().contains("test-gru-3"));
    }

    @Test
    void configsAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ModelConfig("gru", 8, 1, 4, 11, 0, 5, true, 1e-5));
        assertTrue(e.getMessage().contains("tie_embeddings"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig("gru", 8, 1, 4, 11, 3, 11, false, 1e-5));
    }
}
