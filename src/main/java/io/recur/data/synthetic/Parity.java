package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * Parity: a sequence of random bits (tokens 0 and 1); the target at the last position is their XOR.
 * Every bit matters to the answer, so a model must carry one bit of state over the whole sequence
 * without losing it.
 */
public record Parity(int length) implements ExampleGenerator {
    public static final String NAME = "parity";

    public Parity {
        if (length < 1) throw new IllegalArgumentException(NAME + ": length must be at least 1, got " + length);
    }

    /** 64 bits: long enough that the splits never run short of sequences. */
    public static Parity standard() { return new Parity(64); }

    @Override
    public TaskSpec spec() { return TaskSpec.tokens(NAME, length, 2, 2, Metric.SEQUENCE_ACCURACY); }

    @Override
    public Example generate(RandomStream random) {
        int[] bits = new int[length];
        int parity = 0;
        for (int t = 0; t < length; t++) parity ^= bits[t] = random.nextInt() & 1;
        int[] labels = Targets.unscoredLabels(length);
        labels[length - 1] = parity;
        return new Example(new Inputs.Tokens(bits), new Targets.Classes(labels));
    }
}
