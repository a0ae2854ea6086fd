package io.recur.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers of settings: a model's own defaults apply only where nothing set the key. */
class RunConfigsTest {
    @Test
    void aSpikingNetworkDefaultsToOneLayerUnlessTheOptionsOrTheFileSayOtherwise(@TempDir Path dir) throws Exception {
        assertEquals(2, RunConfig.defaults().nLayer(), "the general default this test relies on");
        assertEquals(1, RunConfigs.merge(RunConfig.defaults(), null, Map.of("model", "lsnn")).nLayer());
        assertEquals(3, RunConfigs.merge(RunConfig.defaults(), null, Map.of("model", "lsnn", "n_layer", 3)).nLayer());
        Path file = Files.writeString(dir.resolve("run.yaml"), "model: lsnn\nn_layer: 4\n");
        assertEquals(4, RunConfigs.merge(RunConfig.defaults(), file, Map.of()).nLayer());
        Path modelOnly = Files.writeString(dir.resolve("lsnn.yaml"), "model: lsnn\n");
        assertEquals(1, RunConfigs.merge(RunConfig.defaults(), modelOnly, Map.of()).nLayer());
        assertEquals(2, RunConfigs.merge(RunConfig.defaults(), null, Map.of("model", "gru")).nLayer(), "other models keep the general default");
    }
}
