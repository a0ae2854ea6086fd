package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * Selective copying (Gu &amp; Dao 2023, Mamba §4.1 and appendix E.1; the "variable" copying task of
 * the S4 repository): {@code count} data tokens sit at random positions among noise, and at the end
 * {@code count} marker tokens ask for them back in order. Token 0 is noise, {@code vocab - 1} the
 * marker, 1..vocab-2 data. The first {@code length - count} positions hold data and noise, the last
 * {@code count} the markers, whose targets are the data tokens in order; nothing else is scored.
 * Because the spacing is random, a time-invariant model cannot solve it, which is the paper's point.
 */
public record SelectiveCopying(int length, int vocab, int count) implements ExampleGenerator {
    public static final String NAME = "selective-copying";

    public SelectiveCopying {
        if (vocab < 3) throw new IllegalArgumentException(NAME + ": vocabulary needs noise, marker and at least one data token (vocab >= 3), got " + vocab);
        if (count < 1) throw new IllegalArgumentException(NAME + ": at least one token to copy, got " + count);
        if (length < 2L * count)
            throw new IllegalArgumentException(NAME + ": " + count + " tokens to copy need length >= " + 2L * count + " (room for them and their " + count + " markers), got " + length);
    }

    /** The paper's setting: length 4096, vocabulary 16 (noise and marker included), 16 tokens to copy. */
    public static SelectiveCopying mambaPaper() { return new SelectiveCopying(4096, 16, 16); }

    public int noiseToken() { return 0; }

    public int markerToken() { return vocab - 1; }

    @Override
    public TaskSpec spec() { return TaskSpec.tokens(NAME, length, vocab, vocab, Metric.TOKEN_ACCURACY); }

    @Override
    public Example generate(RandomStream random) {
        int region = length - count;
        boolean[] holdsData = chooseSlots(random, region, count);
        int[] tokens = new int[length];
        int[] labels = Targets.unscoredLabels(length);
        int copied = 0;
        for (int t = 0; t < region; t++) {
            if (!holdsData[t]) continue;
            tokens[t] = random.nextInt(1, vocab - 1);
            labels[region + copied++] = tokens[t];
        }
        for (int t = region; t < length; t++) tokens[t] = markerToken();
        return new Example(new Inputs.Tokens(tokens), new Targets.Classes(labels));
    }

    /** k distinct slots of n, uniformly (Floyd's algorithm: k draws, no shuffle of all n). */
    static boolean[] chooseSlots(RandomStream random, int n, int k) {
        boolean[] chosen = new boolean[n];
        for (int j = n - k; j < n; j++) {
            int t = random.nextInt(j + 1);
            chosen[chosen[t] ? j : t] = true;
        }
        return chosen;
    }
}
