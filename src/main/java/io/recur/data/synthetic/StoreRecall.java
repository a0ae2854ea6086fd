package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * Store-recall, the working-memory task of the LSNN papers (Bellec et al. 2018, 2020): the trial is
 * {@link #WINDOWS} windows; 40 Poisson input channels in four groups of 10: store command, recall
 * command, value 0, value 1. In every window one value group fires (a random bit, 50 Hz); the store
 * command fires in one random window of the first half, the recall command in a later window. The
 * label, scored at the last step of the recall window, is the bit shown while the store command was on.
 *
 * <p>The default trial is 1200 steps of 1 ms (windows of 200 ms); a shorter {@code length} keeps
 * the windows with longer steps, so spike counts per window stay about the same.
 */
public record StoreRecall(int length) implements ExampleGenerator {
    public static final String NAME = "store-recall";
    public static final int CHANNELS = 40, GROUP = 10, WINDOWS = 6, DEFAULT_LENGTH = 1200;
    static final int STORE = 0, RECALL = GROUP, VALUE_0 = 2 * GROUP, VALUE_1 = 3 * GROUP;
    static final double HZ = 50, WINDOW_MS = 200;

    public StoreRecall {
        if (length < WINDOWS) throw new IllegalArgumentException(NAME + ": length must hold " + WINDOWS + " windows of at least one step, got " + length);
    }

    public static StoreRecall standard() { return new StoreRecall(DEFAULT_LENGTH); }

    /** Steps per window; the last window takes the remainder. */
    int window() { return length / WINDOWS; }

    int windowStart(int w) { return w * window(); }

    int windowEnd(int w) { return w == WINDOWS - 1 ? length : (w + 1) * window(); }

    @Override
    public TaskSpec spec() { return TaskSpec.features(NAME, length, CHANNELS, 2, Metric.TOKEN_ACCURACY); }

    @Override
    public Example generate(RandomStream random) {
        float[] x = new float[length * CHANNELS];
        double p = PoissonSpikes.perStep(HZ, WINDOW_MS / window());
        int store = random.nextInt(WINDOWS / 2), recall = random.nextInt(store + 1, WINDOWS);
        int stored = 0;
        for (int w = 0; w < WINDOWS; w++) {
            int bit = random.nextInt(2), group = bit == 1 ? VALUE_1 : VALUE_0;
            if (w == store) stored = bit;
            PoissonSpikes.fill(x, CHANNELS, group, group + GROUP, windowStart(w), windowEnd(w), p, random);
        }
        PoissonSpikes.fill(x, CHANNELS, STORE, STORE + GROUP, windowStart(store), windowEnd(store), p, random);
        PoissonSpikes.fill(x, CHANNELS, RECALL, RECALL + GROUP, windowStart(recall), windowEnd(recall), p, random);
        int[] labels = Targets.unscoredLabels(length);
        labels[windowEnd(recall) - 1] = stored;
        return new Example(new Inputs.Features(x, CHANNELS), new Targets.Classes(labels));
    }
}
