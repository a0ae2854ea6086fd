package io.recur.train;

import io.recur.data.Batch;
import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;
import io.recur.io.Npy;
import io.recur.nn.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Language-modelling batches from a file, for `recur eval`: every token after the first of each
 * sequence is predicted from those before it. A .npy array of token ids (batch, length) gives one
 * sequence per row; any other file is read as bytes and cut into windows of {@code length + 1}
 * bytes that overlap by one, so every byte after the first is scored exactly once.
 */
public final class EvalData {
    private EvalData() {}

    public static List<Batch> fromFile(Path file, ModelConfig model, int length, int batchSize) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such data file");
        if (!model.tokenInputs() || model.outputSize() != model.vocabSize())
            throw new IllegalArgumentException("eval scores language models (tokens in, next-token logits out); this " + model.modelType()
                    + " reads " + (model.tokenInputs() ? model.vocabSize() + " tokens" : model.inputFeatures() + " features") + " and outputs " + model.outputSize());
        if (file.getFileName().toString().endsWith(".npy")) return fromRows(Npy.readInts(file), file, model.vocabSize(), batchSize);
        if (model.vocabSize() != 256) throw new IllegalArgumentException("a text file is read as bytes (256 tokens), but the model's vocabulary is " + model.vocabSize() + "; pass a .npy of token ids");
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 2) throw new IllegalArgumentException(file + " has " + bytes.length + " bytes; language modelling needs at least 2");
        List<int[]> windows = new ArrayList<>();
        for (int start = 0; start + 1 < bytes.length; start += length) {
            int end = Math.min(bytes.length, start + length + 1);
            int[] w = new int[end - start];
            for (int i = 0; i < w.length; i++) w[i] = bytes[start + i] & 0xFF;
            windows.add(w);
        }
        return batches(windows, file.getFileName().toString(), 256, batchSize);
    }

    private static List<Batch> fromRows(Npy.IntArray array, Path file, int vocab, int batchSize) {
        if (array.shape().length != 2 || array.shape()[1] < 2)
            throw new IllegalArgumentException(file + ": expected token ids of shape (batch, length) with length >= 2, got " + Arrays.toString(array.shape()));
        int rows = array.shape()[0], cols = array.shape()[1];
        List<int[]> sequences = new ArrayList<>();
        for (int r = 0; r < rows; r++) sequences.add(Arrays.copyOfRange(array.values(), r * cols, (r + 1) * cols));
        for (int v : array.values())
            if (v < 0 || v >= vocab) throw new IllegalArgumentException(file + ": token id " + v + " is outside the model's vocabulary [0, " + vocab + ")");
        return batches(sequences, file.getFileName().toString(), vocab, batchSize);
    }

    /** Consecutive sequences of one length share a batch (the last window of a text is usually shorter). */
    private static List<Batch> batches(List<int[]> sequences, String name, int vocab, int batchSize) {
        List<Batch> out = new ArrayList<>();
        List<Example> pending = new ArrayList<>();
        TaskSpec spec = null;
        for (int[] s : sequences) {
            int length = s.length - 1;
            if (spec != null && (spec.sequenceLength() != length || pending.size() == batchSize)) {
                out.add(Batch.of(spec, pending));
                pending = new ArrayList<>();
            }
            spec = TaskSpec.tokens(name, length, vocab, vocab, Metric.TOKEN_ACCURACY);
            pending.add(new Example(new Inputs.Tokens(Arrays.copyOf(s, length)), new Targets.Classes(Arrays.copyOfRange(s, 1, s.length))));
        }
        if (!pending.isEmpty()) out.add(Batch.of(spec, pending));
        return out;
    }
}
