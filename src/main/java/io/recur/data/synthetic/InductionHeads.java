package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * Induction heads (Gu &amp; Dao 2023, Mamba §4.1; the generator of the H3/Hyena "safari" code with
 * one trigger): random tokens from 0..vocab-2, a special trigger token {@code vocab - 1} once at a
 * random place followed by the answer token, and the trigger again at the last position, where the
 * target is the answer. Only the last position is scored. The paper trains at length 256 and tests
 * longer sequences: make a second task with a larger length for that.
 */
public record InductionHeads(int length, int vocab) implements ExampleGenerator {
    public static final String NAME = "induction-heads";

    public InductionHeads {
        if (vocab < 3) throw new IllegalArgumentException(NAME + ": vocabulary needs the trigger and at least two other tokens (vocab >= 3), got " + vocab);
        if (length < 3) throw new IllegalArgumentException(NAME + ": length must hold trigger, answer and the final trigger (>= 3), got " + length);
    }

    /** The paper's training setting: length 256, vocabulary 16. */
    public static InductionHeads mambaPaper() { return new InductionHeads(256, 16); }

    public int triggerToken() { return vocab - 1; }

    @Override
    public TaskSpec spec() { return TaskSpec.tokens(NAME, length, vocab, vocab, Metric.SEQUENCE_ACCURACY); }

    @Override
    public Example generate(RandomStream random) {
        int[] tokens = new int[length];
        for (int t = 0; t < length - 1; t++) tokens[t] = random.nextInt(vocab - 1);
        int trigger = random.nextInt(length - 2);
        tokens[trigger] = triggerToken();
        tokens[length - 1] = triggerToken();
        int[] labels = Targets.unscoredLabels(length);
        labels[length - 1] = tokens[trigger + 1];
        return new Example(new Inputs.Tokens(tokens), new Targets.Classes(labels));
    }
}
