package io.recur.nn.mamba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.io.JsonFiles;
import io.recur.io.SafeTensors;
import io.recur.nn.Initializer;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.train.checkpoint.MambaCheckpoint;
import io.recur.train.checkpoint.ModelCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint folders written here, by mamba_ssm (both tied names, HF hub config) and by HF transformers load into the same model. */
class MambaCheckpointTest {
    private static final Backend CPU = Backends.cpu();
    private static final MambaConfig CONFIG = MambaConfig.of(8, 2, 10).withSsm(SsmConfig.defaults().withDState(4));
    private static final String MAMBA_SSM_CONFIG = """
            {"d_model": 8, "n_layer": 2, "vocab_size": 10, "ssm_cfg": {"d_state": 4, "layer": "Mamba1"}, "rms_norm": true,
             "residual_in_fp32": true, "fused_add_norm": true, "pad_vocab_size_multiple": 8, "tie_embeddings": true,
             "attn_layer_idx": [], "attn_cfg": {}, "architectures": ["MambaLMHeadModel"], "torch_dtype": "float32"}
            """;

    @TempDir Path dir;

    @Test
    void roundTripThroughModelCheckpoint() throws IOException {
        try (MambaLM lm = new MambaLM(new Initializer(CPU, 7), CONFIG)) {
            MambaCheckpoint.save(dir, lm);
            assertEquals(CONFIG, ModelCheckpoint.readConfig(dir, MambaConfig.class));
            String json = Files.readString(dir.resolve("config.json"));
            assertTrue(json.contains("\"d_model\" : 8") && json.contains("\"dt_rank\" : \"auto\"") && !json.contains("selective"), json);
            try (MambaLM loaded = MambaCheckpoint.load(dir, CPU)) {
                assertSameModel(lm, loaded);
            }
        }
    }

    /** As mamba_ssm's save_pretrained leaves it once converted to safetensors: both tied names, config with keys this model ignores. */
    @Test
    void loadsAMambaSsmFolderWithBothTiedNames() throws IOException {
        try (MambaLM lm = new MambaLM(new Initializer(CPU, 8), CONFIG)) {
            Map<String, Tensor> weights = new LinkedHashMap<>(lm.stateDict());
            weights.put("lm_head.weight", lm.embeddingWeight());
            write(MAMBA_SSM_CONFIG, weights);
            try (MambaLM loaded = MambaCheckpoint.load(dir, CPU)) {
                assertSameModel(lm, loaded);
            }
        }
    }

    @Test
    void loadsAFileThatKeepsOnlyLmHead() throws IOException {
        try (MambaLM lm = new MambaLM(new Initializer(CPU, 9), CONFIG)) {
            Map<String, Tensor> weights = new LinkedHashMap<>(lm.stateDict());
            weights.put("lm_head.weight", weights.remove("backbone.embedding.weight"));
            write(MAMBA_SSM_CONFIG, weights);
            try (MambaLM loaded = MambaCheckpoint.load(dir, CPU)) {
                assertSameModel(lm, loaded);
            }
        }
    }

    /** HF transformers' MambaForCausalLM: its config names and backbone.embeddings.weight. */
    @Test
    void loadsAnHfTransformersFolder() throws IOException {
        try (MambaLM lm = new MambaLM(new Initializer(CPU, 10), CONFIG)) {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            lm.stateDict().forEach((k, v) -> weights.put(k.equals("backbone.embedding.weight") ? "backbone.embeddings.weight" : k, v));
            write("""
                    {"architectures": ["MambaForCausalLM"], "model_type": "mamba", "hidden_size": 8, "num_hidden_layers": 2,
                     "vocab_size": 16, "state_size": 4, "expand": 2, "conv_kernel": 4, "time_step_rank": "auto",
                     "use_conv_bias": true, "use_bias": false, "layer_norm_epsilon": 1e-5, "tie_word_embeddings": true,
                     "bos_token_id": 0, "eos_token_id": 0, "transformers_version": "4.39.0"}
                    """, weights);
            try (MambaLM loaded = MambaCheckpoint.load(dir, CPU)) {
                assertEquals(16, loaded.config().paddedVocabSize());
                assertSameModel(lm, loaded);
            }
        }
    }

    @Test
    void anUntiedHeadIsAnError() throws IOException {
        try (MambaLM lm = new MambaLM(new Initializer(CPU, 11), CONFIG); Scope s = Scope.open("test")) {
            Map<String, Tensor> weights = new LinkedHashMap<>(lm.stateDict());
            weights.put("lm_head.weight", CPU.zeros(Shape.of(16, 8)));
            write(MAMBA_SSM_CONFIG, weights);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MambaCheckpoint.load(dir, CPU));
            assertTrue(e.getMessage().contains("lm_head.weight") && e.getMessage().contains("ties"), e.getMessage());
        }
    }

    @Test
    void aShapeThatDoesNotFitNamesTheTensor() throws IOException {
        try (MambaLM lm = new MambaLM(new Initializer(CPU, 12), CONFIG)) {
            write(MAMBA_SSM_CONFIG.replace("\"d_state\": 4", "\"d_state\": 5"), lm.stateDict());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MambaCheckpoint.load(dir, CPU));
            assertTrue(e.getMessage().contains("backbone.layers.0.mixer.A_log") && e.getMessage().contains("[16, 4]"), e.getMessage());
        }
    }

    @Test
    void aFolderWithoutWeightsSaysSo() throws IOException {
        Files.writeString(dir.resolve("config.json"), MAMBA_SSM_CONFIG);
        java.nio.file.NoSuchFileException e = assertThrows(java.nio.file.NoSuchFileException.class, () -> MambaCheckpoint.load(dir, CPU));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void configDefaultsAndRejections() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"d_model\": 768, \"n_layer\": 24, \"vocab_size\": 50277, \"ssm_cfg\": {}}");
        MambaConfig hub = JsonFiles.read(file, MambaConfig.class);   // state-spaces/mamba-130m's config
        assertEquals(MambaConfig.of(768, 24, 50277), hub);
        assertEquals(50280, hub.paddedVocabSize());
        assertEquals(48, hub.dtRank());
        assertEquals(1536, hub.dInner());
        for (String bad : new String[] {"{\"d_model\": 8, \"n_layer\": 1, \"vocab_size\": 4, \"ssm_cfg\": {\"layer\": \"Mamba2\"}}",
                "{\"d_model\": 8, \"n_layer\": 1, \"vocab_size\": 4, \"attn_layer_idx\": [0]}",
                "{\"d_model\": 8, \"n_layer\": 1, \"vocab_size\": 4, \"rms_norm\": false}",
                "{\"d_model\": 8, \"n_layer\": 1, \"vocab_size\": 4, \"ssm_cfg\": {\"d_state\": \"many\"}}",
                "{\"n_layer\": 1, \"vocab_size\": 4}"}) {
            Files.writeString(file, bad);
            IOException e = assertThrows(IOException.class, () -> JsonFiles.read(file, MambaConfig.class), bad);
            assertTrue(e.getMessage().contains("mamba"), e.getMessage());
        }
        MambaConfig lti = CONFIG.withSsm(CONFIG.ssmCfg().withSelective(false).withDtRank(3));
        JsonFiles.write(file, lti);
        assertEquals(lti, JsonFiles.read(file, MambaConfig.class));
    }

    private void write(String config, Map<String, Tensor> weights) throws IOException {
        Files.writeString(dir.resolve("config.json"), config);
        SafeTensors.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
    }

    private static void assertSameModel(MambaLM expected, MambaLM actual) {
        assertEquals(expected.stateDict().keySet(), actual.stateDict().keySet());
        expected.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), actual.stateDict().get(k).toFloatArray(), k));
        try (Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            Tensor tokens = CPU.fromArray(new int[] {1, 4, 9, 2, 0, 3}, Shape.of(2, 3));
            assertArrayEquals(expected.logits(tokens).toFloatArray(), actual.logits(tokens).toFloatArray());
        }
    }
}
