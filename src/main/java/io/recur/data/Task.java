package io.recur.data;

import java.util.OptionalLong;

/**
 * A source of batches. Each split is a fixed sequence of examples; {@code batch(split, i, n)} holds
 * examples [i·n, i·n + n) of it, so the same task, seed and arguments give the same batch on any
 * machine, and no example is in two splits.
 */
public interface Task {
    TaskSpec spec();

    /** Batch {@code index} (from 0) of {@code batchSize} examples from a split. */
    Batch batch(Split split, long index, int batchSize);

    /**
     * Distinct examples in a split (one pass over a data set, or one tiling of an evaluation text);
     * empty for generators that never repeat. Example numbers past the size wrap around.
     */
    OptionalLong size(Split split);

    /** The first example of a batch, with clear errors for a negative index or a bad size. */
    static long firstExample(String task, long index, int batchSize) {
        if (index < 0) throw new IllegalArgumentException(task + ": batch index must be >= 0, got " + index);
        if (batchSize < 1) throw new IllegalArgumentException(task + ": batch size must be at least 1, got " + batchSize);
        return Math.multiplyExact(index, (long) batchSize);
    }
}
