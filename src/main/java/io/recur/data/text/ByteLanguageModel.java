package io.recur.data.text;

import io.recur.data.Batch;
import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.Split;
import io.recur.data.Targets;
import io.recur.data.Task;
import io.recur.data.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Byte-level language modelling on any file: each byte is a token (vocabulary 256), and a window
 * of {@code length + 1} consecutive bytes gives inputs (the first {@code length}) and targets (the
 * last {@code length}, every position scored). The file is split by position, so no window
 * crosses parts: the first 90% trains, the next 5% validates, the last 5% tests. Training windows
 * start at random offsets; validation and test windows tile their part in order, {@code length}
 * apart, so one pass over {@link #size} examples scores every byte once.
 */
public final class ByteLanguageModel implements Task {
    public static final String NAME = "bytes";
    static final double TRAIN_FRACTION = 0.90, VALIDATION_FRACTION = 0.05;

    private final byte[] text;
    private final int length;
    private final long seed;
    private final long[] partStart;
    private final TaskSpec spec;

    /** Reads a whole file (up to 2 GiB) as the corpus. */
    public static ByteLanguageModel fromFile(Path file, int length, long seed) {
        try {
            return new ByteLanguageModel(Files.readAllBytes(file), file.toString(), length, seed);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(NAME + ": text file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(NAME + ": cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** A corpus already in memory; {@code source} names it in errors. */
    public ByteLanguageModel(byte[] text, String source, int length, long seed) {
        if (length < 1) throw new IllegalArgumentException(NAME + ": window length must be at least 1, got " + length);
        this.text = text;
        this.length = length;
        this.seed = seed;
        this.partStart = partStarts(text.length);
        if (!fits(partStart, length))
            throw new IllegalArgumentException(NAME + ": " + source + " has " + text.length + " bytes, too few for a window of " + (length + 1)
                    + " bytes in each part (train 90%, validation 5%, test 5%); it needs at least " + minimumBytes(length) + " bytes, or a shorter length");
        this.spec = TaskSpec.tokens(NAME, length, 256, 256, Metric.TOKEN_ACCURACY);
    }

    /** Part boundaries of an n-byte corpus: train, validation and test start, then n. */
    private static long[] partStarts(long n) {
        return new long[] {0, (long) Math.floor(n * TRAIN_FRACTION), (long) Math.floor(n * (TRAIN_FRACTION + VALIDATION_FRACTION)), n};
    }

    private static boolean fits(long[] starts, int length) {
        for (int i = 0; i + 1 < starts.length; i++) if (starts[i + 1] - starts[i] < length + 1L) return false;
        return true;
    }

    /** The smallest corpus whose every part holds one window of {@code length + 1} bytes (about 20 windows). */
    static long minimumBytes(int length) {
        long n = Math.max(0, 20L * (length + 1) - 40);
        while (!fits(partStarts(n), length)) n++;
        return n;
    }

    @Override public TaskSpec spec() { return spec; }

    /** [start, end) of a split's part of the file, in bytes. */
    public long partStart(Split split) { return partStart[split.ordinal()]; }

    public long partEnd(Split split) { return partStart[split.ordinal() + 1]; }

    private long partLength(Split split) { return partEnd(split) - partStart(split); }

    @Override
    public OptionalLong size(Split split) {
        return split == Split.TRAIN ? OptionalLong.empty() : OptionalLong.of((partLength(split) - 1) / length);
    }

    @Override
    public Batch batch(Split split, long index, int batchSize) {
        long first = Task.firstExample(NAME, index, batchSize);
        List<Example> examples = new ArrayList<>(batchSize);
        for (int row = 0; row < batchSize; row++) examples.add(window(windowStart(split, first + row)));
        return Batch.of(spec, examples);
    }

    /** Where example {@code id} of a split starts: random for training, the next tile otherwise. */
    public long windowStart(Split split, long id) {
        long starts = partLength(split) - length; // windows of length + 1 fit at this many offsets
        if (split == Split.TRAIN) {
            RandomStream r = new RandomStream(seed, split.ordinal(), id);
            long offset = Long.remainderUnsigned(((long) r.nextInt() << 32) | (r.nextInt() & 0xFFFFFFFFL), starts);
            return partStart(split) + offset;
        }
        return partStart(split) + (id % size(split).getAsLong()) * length;
    }

    private Example window(long start) {
        int[] inputs = new int[length], labels = new int[length];
        for (int t = 0; t < length; t++) {
            inputs[t] = text[(int) (start + t)] & 0xFF;
            labels[t] = text[(int) (start + t + 1)] & 0xFF;
        }
        return new Example(new Inputs.Tokens(inputs), new Targets.Classes(labels));
    }
}
