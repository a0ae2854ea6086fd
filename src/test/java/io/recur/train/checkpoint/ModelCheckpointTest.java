package io.recur.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.LSTM;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.ResidualStack;
import io.recur.testing.TestBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
    @TempDir Path dir;

    @Test
    void aModelAndItsConfigRoundTrip() throws IOException {
        Backend cpu = Backends.cpu();
        RecurrentConfig config = new RecurrentConfig(3, 5, 2, true, true);
        try (LSTM saved = new LSTM(new Initializer(cpu, 1), config)) {
            ModelCheckpoint.save(dir, saved, config);
            String json = Files.readString(dir.resolve(ModelCheckpoint.CONFIG));
            assertTrue(json.contains("\"hidden_size\" : 5") && json.contains("\"batch_first\" : true"), json);
            RecurrentConfig read = ModelCheckpoint.readConfig(dir, RecurrentConfig.class);
            assertEquals(config, read);
            // Into a model on another backend (the simulated GPU): values arrive intact.
            Backend other = TestBackends.cuda();
            try (LSTM loaded = new LSTM(new Initializer(other, 2), read)) {
                ModelCheckpoint.load(dir, loaded);
                for (String name : saved.namedParameters().keySet())
                    assertArrayEquals(saved.namedParameters().get(name).toFloatArray(), loaded.namedParameters().get(name).toFloatArray(), name);
            }
        }
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedWithTheNames() throws IOException {
        Backend cpu = Backends.cpu();
        try (LSTM lstm = new LSTM(new Initializer(cpu, 1), RecurrentConfig.of(3, 5, 1));
             GRU gru = new GRU(new Initializer(cpu, 1), RecurrentConfig.of(3, 5, 1));
             ResidualStack stack = ResidualStack.lstm(new Initializer(cpu, 1), 4, 1)) {
            ModelCheckpoint.save(dir, lstm, lstm.config());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.load(dir, gru));
            assertTrue(e.getMessage().contains("weight_ih_l0") && e.getMessage().contains("[20, 3]") && e.getMessage().contains("[15, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.load(dir, stack));
            assertTrue(e.getMessage().contains("missing [layers.0.mixer.bias_hh_l0") && e.getMessage().contains("unexpected [bias_hh_l0"), e.getMessage());
        }
    }

    @Test
    void missingFilesAndBadConfigsAreNamed() throws IOException {
        try (LSTM lstm = new LSTM(new Initializer(Backends.cpu(), 1), RecurrentConfig.of(3, 5, 1))) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ModelCheckpoint.load(dir.resolve("nowhere"), lstm));
            assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
            e = assertThrows(NoSuchFileException.class, () -> ModelCheckpoint.load(dir, lstm));
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
        Files.writeString(dir.resolve(ModelCheckpoint.CONFIG), "{\"input_size\": 3, \"hiden_size\": 5}");
        IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.readConfig(dir, RecurrentConfig.class));
        assertTrue(e.getMessage().contains("hidden_size"), e.getMessage());
        Files.writeString(dir.resolve(ModelCheckpoint.CONFIG),
                "{\"input_size\": 3, \"hidden_size\": 5, \"num_layers\": 1, \"bias\": true, \"batch_first\": false, \"dropout\": 0.1}");
        e = assertThrows(IOException.class, () -> ModelCheckpoint.readConfig(dir, RecurrentConfig.class));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }
}
