package io.recur.train.checkpoint;

import io.recur.backend.Backend;
import io.recur.io.SafeTensors;
import io.recur.nn.Initializer;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaLM;
import io.recur.nn.mamba.MambaWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Mamba checkpoint folders: the ones {@link ModelCheckpoint} writes, and the ones mamba_ssm or HF
 * write (config.json in mamba_ssm's or transformers' layout, model.safetensors with the tied head
 * stored once, twice, or under HF's names; see {@link MambaWeights}). PyTorch pickles
 * (pytorch_model.bin) are not read: convert them to safetensors first.
 */
public final class MambaCheckpoint {
    private MambaCheckpoint() {}

    public static void save(Path dir, MambaLM model) throws IOException { ModelCheckpoint.save(dir, model, model.config()); }

    /** A model built from dir/config.json with the weights of dir/model.safetensors, on the given backend. */
    public static MambaLM load(Path dir, Backend backend) throws IOException {
        MambaConfig config;
        try {
            config = ModelCheckpoint.readConfig(dir, MambaConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + dir + ": " + e.getMessage(), e);
        }
        Path weights = dir.resolve(ModelCheckpoint.WEIGHTS);
        if (!Files.isRegularFile(weights)) throw new NoSuchFileException(weights.toString(), null, "checkpoint folder " + dir + " has no " + ModelCheckpoint.WEIGHTS);
        MambaLM model = new MambaLM(new Initializer(backend, 0), config);
        try (SafeTensors.Contents contents = SafeTensors.read(weights, backend)) {
            model.loadStateDict(MambaWeights.toModelNames(contents.tensors()));
        } catch (IllegalArgumentException e) {
            model.close();
            throw new IllegalArgumentException("checkpoint " + weights + " does not fit a Mamba with " + config + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }
}
