package io.recur.train.checkpoint;

import io.recur.io.JsonFiles;
import io.recur.io.SafeTensors;
import io.recur.nn.Module;
import io.recur.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model checkpoint folder as HF and PyTorch tools lay it out: model.safetensors with the
 * parameters under the module's names (the reference implementations' names) and config.json
 * with the constructor arguments. Each file is written atomically.
 */
public final class ModelCheckpoint {
    public static final String WEIGHTS = "model.safetensors", CONFIG = "config.json";

    private ModelCheckpoint() {}

    /** Writes dir/model.safetensors (metadata format=pt, as transformers expects) and dir/config.json. */
    public static void save(Path dir, Module model, Object config) throws IOException {
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve(WEIGHTS), model.stateDict(), Map.of("format", "pt"));
        JsonFiles.write(dir.resolve(CONFIG), config);
    }

    /** The config.json of a checkpoint as the given record type. */
    public static <T> T readConfig(Path dir, Class<T> type) throws IOException {
        return JsonFiles.read(configFile(dir), type);
    }

    /** dir/config.json; says clearly when the folder or the file is missing. */
    public static Path configFile(Path dir) throws IOException { return existing(dir, CONFIG); }

    /** Copies dir/model.safetensors into the model's parameters; names and shapes must match exactly. */
    public static void load(Path dir, Module model) throws IOException {
        List<Tensor> params = model.parameters();
        if (params.isEmpty()) throw new IllegalArgumentException(model.getClass().getSimpleName() + " has no parameters to load");
        Path weights = existing(dir, WEIGHTS);
        try (SafeTensors.Contents contents = SafeTensors.read(weights, params.getFirst().backend())) {
            try {
                model.loadStateDict(contents.tensors());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + weights + " does not fit the model: " + e.getMessage(), e);
            }
        }
    }

    private static Path existing(Path dir, String file) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such checkpoint folder");
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, "checkpoint folder " + dir + " has no " + file);
        return p;
    }
}
