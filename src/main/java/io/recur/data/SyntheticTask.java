package io.recur.data;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A task whose examples are drawn fresh for every batch, as the papers' synthetic tasks are.
 * Example e of a split comes from the stream (seed, tag = split and try, id = e): the first draw
 * whose inputs {@link ContentSplit} assigns to that split (expected 1.25 tries for training, 10 for
 * validation and test).
 */
public final class SyntheticTask implements Task {
    /** Tries per example before concluding the split holds (almost) no sequences of this task. */
    static final int MAX_TRIES = 1000;

    private final ExampleGenerator generator;
    private final long seed;

    public SyntheticTask(ExampleGenerator generator, long seed) {
        this.generator = generator;
        this.seed = seed;
    }

    @Override public TaskSpec spec() { return generator.spec(); }

    @Override public OptionalLong size(Split split) { return OptionalLong.empty(); }

    @Override
    public Batch batch(Split split, long index, int batchSize) {
        long first = Task.firstExample(spec().name(), index, batchSize);
        List<Example> examples = new ArrayList<>(batchSize);
        for (int row = 0; row < batchSize; row++) examples.add(example(split, first + row));
        return Batch.of(spec(), examples);
    }

    /** Example number {@code id} of a split. */
    public Example example(Split split, long id) {
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            Example e = generator.generate(new RandomStream(seed, split.ordinal() << 16 | attempt, id));
            if (ContentSplit.of(e.inputs()) == split) return e;
        }
        throw new IllegalStateException(spec().name() + ": no " + split + " example in " + MAX_TRIES
                + " draws; the task has too few distinct sequences to split (make it longer or larger)");
    }
}
