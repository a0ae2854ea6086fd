package io.recur.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.io.JsonFiles;
import io.recur.nn.ModelConfig;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.SsmConfig;
import io.recur.train.checkpoint.CheckpointConfig.Layout;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** config.json layouts: which one a file is in, and a Mamba's mamba_ssm keys written beside its own and read back. */
class CheckpointConfigTest {
    private static final Path FILE = Path.of("ckpt", "config.json");
    private static final ModelConfig MAMBA = new ModelConfig("mamba", 16, 2, 4, 30, 0, 30, true, 1e-5);

    @Test
    void aMambaWritesMambaSsmKeysThatMambaSsmReads() throws IOException {
        JsonNode json = CheckpointConfig.toJson(MAMBA);
        assertEquals("mamba", json.get("model_type").asText());
        assertEquals(30, json.get("vocab_size").asInt());
        JsonNode ssm = json.get("ssm_cfg");
        assertEquals(4, ssm.get("d_state").asInt());
        assertEquals(4, ssm.get("d_conv").asInt());
        assertEquals(2, ssm.get("expand").asInt());
        assertEquals("auto", ssm.get("dt_rank").asText());
        assertFalse(ssm.has("selective"), ssm.toString());
        assertTrue(json.get("rms_norm").asBoolean() && json.get("tie_embeddings").asBoolean());
        assertEquals(1, json.get("pad_vocab_size_multiple").asInt());   // the embedding has exactly vocab_size rows
        // what mamba_ssm's loader takes from the same file (it ignores model_type and the other keys of ours)
        assertEquals(MambaConfig.of(16, 2, 30).withSsm(SsmConfig.defaults().withDState(4)).withPadVocabSizeMultiple(1),
                JsonFiles.fromTree(json, MambaConfig.class, "test"));
        assertEquals(MAMBA, CheckpointConfig.read(json, FILE));
        assertEquals(Layout.RECUR, CheckpointConfig.layout(json, FILE));
    }

    @Test
    void anUntiedOrLtiMambaRoundTrips() throws IOException {
        ModelConfig untied = new ModelConfig("mamba", 8, 1, 3, 12, 0, 12, false, 1e-5);
        assertFalse(CheckpointConfig.toJson(untied).get("tie_embeddings").asBoolean());
        assertEquals(untied, CheckpointConfig.read(CheckpointConfig.toJson(untied), FILE));
        ModelConfig lti = new ModelConfig("mamba-lti", 8, 1, 3, 0, 2, 1, false, 1e-5);   // features in, a regression out
        JsonNode json = CheckpointConfig.toJson(lti);
        assertFalse(json.get("ssm_cfg").get("selective").asBoolean());
        assertEquals(lti, CheckpointConfig.read(json, FILE));
    }

    @Test
    void checkpointsWithoutMambaSsmKeysStillRead() throws IOException {
        assertEquals(MAMBA, CheckpointConfig.read(JsonFiles.toTree(MAMBA), FILE));
        ModelConfig gru = new ModelConfig("gru", 8, 1, 1, 5, 0, 5, false, 1e-5);
        JsonNode json = CheckpointConfig.toJson(gru);
        assertFalse(json.has("ssm_cfg"), json.toString());
        assertEquals(gru, CheckpointConfig.read(json, FILE));
    }

    @Test
    void typosAndDisagreementsAreErrors() {
        ObjectNode typo = (ObjectNode) CheckpointConfig.toJson(MAMBA);
        typo.put("d_modle", 16);
        assertError(typo, "d_modle");
        ObjectNode gru = (ObjectNode) CheckpointConfig.toJson(new ModelConfig("gru", 8, 1, 1, 5, 0, 5, false, 1e-5));
        gru.put("rms_norm", true);
        assertError(gru, "key \"rms_norm\" is mamba_ssm's, not gru's");
        ObjectNode edited = (ObjectNode) CheckpointConfig.toJson(MAMBA);
        ((ObjectNode) edited.get("ssm_cfg")).put("d_state", 8);
        assertError(edited, "\"ssm_cfg\" is {\"d_state\":8");
        ObjectNode padded = (ObjectNode) CheckpointConfig.toJson(MAMBA);
        padded.put("pad_vocab_size_multiple", 8);
        assertError(padded, "\"pad_vocab_size_multiple\" is 8 but this mamba (d_model, state_size, …) has 1");
    }

    @Test
    void numbersAreComparedAsNumbers() throws IOException {
        ObjectNode json = (ObjectNode) CheckpointConfig.toJson(MAMBA);
        ((ObjectNode) json.get("ssm_cfg")).put("dt_scale", 1);   // written by hand as an integer; the model has 1.0
        assertEquals(MAMBA, CheckpointConfig.read(json, FILE));
    }

    @Test
    void layouts() throws IOException {
        ObjectMapper m = new ObjectMapper();
        assertEquals(Layout.MAMBA_SSM, CheckpointConfig.layout(m.readTree("{\"d_model\": 768, \"n_layer\": 24, \"vocab_size\": 50277, \"ssm_cfg\": {}}"), FILE));
        assertEquals(Layout.MAMBA_SSM, CheckpointConfig.layout(m.readTree("{\"ssm_cfg\": {}}"), FILE));
        assertEquals(Layout.TRANSFORMERS, CheckpointConfig.layout(m.readTree("{\"model_type\": \"mamba\", \"hidden_size\": 768}"), FILE));
        IOException other = assertThrows(IOException.class, () -> CheckpointConfig.layout(m.readTree("{\"model_type\": \"llama\", \"hidden_size\": 8}"), FILE));
        assertTrue(other.getMessage().contains("model_type \"llama\"; only \"mamba\""), other.getMessage());
        // a bare torch.nn.LSTM's config (hidden_size without model_type) is none of them
        IOException lstm = assertThrows(IOException.class, () -> CheckpointConfig.layout(m.readTree("{\"input_size\": 3, \"hidden_size\": 5}"), FILE));
        assertTrue(lstm.getMessage().contains(FILE + " is not a model config read here: expected model_type")
                && lstm.getMessage().endsWith("its keys are [input_size, hidden_size]"), lstm.getMessage());
        IOException array = assertThrows(IOException.class, () -> CheckpointConfig.layout(m.readTree("[1]"), FILE));
        assertTrue(array.getMessage().contains("must hold a JSON object, got ARRAY"), array.getMessage());
    }

    private static void assertError(JsonNode json, String expected) {
        IOException e = assertThrows(IOException.class, () -> CheckpointConfig.read(json, FILE));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
