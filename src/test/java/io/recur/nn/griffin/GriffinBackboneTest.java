package io.recur.nn.griffin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.models.Models;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceModel;
import io.recur.nn.SequenceOutput;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.TestBackends;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hawk and Griffin as backbones of a SequenceModel: feature and classification tasks. */
class GriffinBackboneTest {
    private static final Backend CPU = Backends.cpu();
    private static final int WIDTH = 8, FEATURES = 3, CLASSES = 5, BATCH = 2, T = 6;

    private static ModelConfig features(String type, int layers) {
        return new ModelConfig(type, WIDTH, layers, 4, 0, FEATURES, CLASSES, false, 1e-5);
    }

    /** Features in, classes out: input_proj, the Griffin blocks and final norm under backbone, an untied lm_head. */
    @Test
    void aFeatureTaskGetsTheBlocksAsABackbone() {
        try (SequenceModel m = Models.create(features("griffin", 3), new Initializer(CPU, 1))) {
            Map<String, Tensor> params = m.namedParameters();
            List<String> names = List.copyOf(params.keySet());
            assertEquals(List.of("backbone.input_proj.weight", "backbone.input_proj.bias", "backbone.blocks.0.temporal_pre_norm.scale"), names.subList(0, 3));
            assertEquals(List.of("backbone.final_norm.scale", "lm_head.weight"), names.subList(names.size() - 2, names.size()));
            assertEquals(Shape.of(4, WIDTH), params.get("backbone.blocks.1.recurrent_block.conv_1d.w").shape());
            assertTrue(params.containsKey("backbone.blocks.2.attention_block.proj_q.weight"), names.toString());
            assertEquals(Shape.of(CLASSES, WIDTH), params.get("lm_head.weight").shape());
            assertEquals(2 + 2 + 3, m.stateParts());
        }
    }

    /** Tokens in but classes out (not a language model): the backbone reads through backbone.embedding. */
    @Test
    void aTokenClassificationTaskReadsThroughTheBackboneEmbedding() {
        try (SequenceModel m = Models.create(new ModelConfig("hawk", WIDTH, 1, 4, 11, 0, 2, false, 1e-5), new Initializer(CPU, 1));
             Scope s = Scope.open("test")) {
            Map<String, Tensor> params = m.namedParameters();
            assertEquals(Shape.of(11, WIDTH), params.get("backbone.embedding.weight").shape());
            assertTrue(params.containsKey("backbone.blocks.0.recurrent_block.rg_lru.a_param"), params.keySet().toString());
            assertFalse(params.containsKey("embedder.input_embedding"));
            assertEquals(Shape.of(1, 4, 2), m.forward(CPU.fromArray(new int[] {1, 5, 10, 0}, Shape.of(1, 4))).shape());
        }
    }

    /** Stepping one position at a time with the carried state gives the whole-sequence outputs (Griffin's third block attends). */
    @ParameterizedTest @ValueSource(strings = {"hawk", "griffin"})
    void stepsAgreeWithTheWholeSequence(String type) {
        Rand rand = Rand.fresh();
        D x = rand.uniform(-1, 1, BATCH, T, FEATURES);
        try (SequenceModel m = Models.create(features(type, 3), new Initializer(CPU, rand.nextLong()));
             Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            float[] whole = m.forward(x.toTensor(CPU)).toFloatArray();
            RecurrentState state = null;
            for (int t = 0; t < T; t++) {
                SequenceOutput o = m.step(position(x, t).toTensor(CPU), state);
                assertEquals(Shape.of(BATCH, CLASSES), o.output().shape());
                float[] step = o.output().toFloatArray();
                for (int b = 0; b < BATCH; b++)
                    for (int c = 0; c < CLASSES; c++)
                        assertEquals(whole[(b * T + t) * CLASSES + c], step[b * CLASSES + c], 1e-5, type + ": step " + t + ", batch " + b + ", class " + c + rand.tag());
                state = o.state();
            }
        }
    }

    /** Features at position t: (BATCH, FEATURES). */
    private static D position(D x, int t) {
        D out = D.zeros(BATCH, FEATURES);
        for (int b = 0; b < BATCH; b++) System.arraycopy(x.data, (b * T + t) * FEATURES, out.data, b * FEATURES, FEATURES);
        return out;
    }

    /** Hawk (2 recurrent blocks) and Griffin (recurrent, recurrent, attention) as the registry builds them at width 8: one head. */
    static Stream<Arguments> modelsOnBackends() {
        Map<String, GriffinConfig> configs = Map.of("hawk", GriffinConfig.hawk(1, WIDTH, 2, 1),
                "griffin", GriffinConfig.griffin(1, WIDTH, 3, 1, Models.ATTENTION_WINDOW));
        return Stream.of("hawk", "griffin").flatMap(type -> TestBackends.all().stream().map(b -> Arguments.of(type, configs.get(type), b)));
    }

    /** The whole backbone model's outputs and the gradients of the inputs and every parameter, against float64 finite differences. */
    @ParameterizedTest @MethodSource("modelsOnBackends")
    void gradientsMatchTheFloat64Reference(String type, GriffinConfig config, Backend backend) {
        Rand rand = Rand.fresh();
        try (SequenceModel m = Models.create(features(type, config.numLayers()), new Initializer(backend, rand.nextLong()))) {
            List<String> names = List.copyOf(m.namedParameters().keySet());
            OpCheck check = OpCheck.named(type + " backbone").input(rand.uniform(-1, 1, BATCH, T, FEATURES)).gradientSamples(40);
            // off the initial values, where biases and norm scales are 0
            for (Tensor p : m.parameters()) check.input(D.of(p).map(v -> v + rand.uniform(-0.1, 0.1)));
            check.run(backend, rand, t -> {
                Map<String, Tensor> params = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) params.put(names.get(i), t.get(i + 1));
                return m.withParameters(params, () -> m.forward(t.get(0)));
            }, d -> {
                Map<String, D> params = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) params.put(names.get(i), d.get(i + 1));
                return GriffinBackboneReference.forward(d.get(0), params, config);
            });
        }
    }
}
