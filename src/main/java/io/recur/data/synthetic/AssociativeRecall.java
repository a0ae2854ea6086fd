package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * Multi-query associative recall, MQAR (Arora et al. 2023, "Zoology", its multiquery_ar generator):
 * {@code pairs} key-value pairs k1 v1 k2 v2 … open the sequence (distinct keys from
 * [1, vocab/2), distinct values from [vocab/2, vocab)); every key then appears once more, at an even
 * offset 2g into the rest of the sequence, and the target at that query is its value. The gaps g
 * are distinct and drawn with probability ∝ (g + 1)^(powerA − 1), which with Zoology's 0.01 keeps
 * most queries near the context. Other positions are random tokens (Zoology's random_non_queries)
 * or 0, and are not scored.
 */
public record AssociativeRecall(int length, int vocab, int pairs, double powerA, boolean randomFiller) implements ExampleGenerator {
    public static final String NAME = "mqar";

    public AssociativeRecall {
        if (pairs < 1) throw new IllegalArgumentException(NAME + ": at least one key-value pair, got " + pairs);
        if (vocab / 2 - 1 < pairs)
            throw new IllegalArgumentException(NAME + ": " + pairs + " distinct keys need vocab >= " + 2 * (pairs + 1) + ", got " + vocab);
        if (length < 4L * pairs)
            throw new IllegalArgumentException(NAME + ": " + pairs + " pairs need length >= " + 4L * pairs + " (the pairs, then a query slot per pair), got " + length);
        if (!(powerA > 0)) throw new IllegalArgumentException(NAME + ": power-law exponent must be positive, got " + powerA);
    }

    /** Zoology's generator defaults with the paper's vocabulary: length 64, vocab 8192, 8 pairs, a = 0.01. */
    public static AssociativeRecall zoology() { return new AssociativeRecall(64, 8192, 8, 0.01, true); }

    @Override
    public TaskSpec spec() { return TaskSpec.tokens(NAME, length, vocab, vocab, Metric.TOKEN_ACCURACY); }

    @Override
    public Example generate(RandomStream random) {
        int half = vocab / 2, context = 2 * pairs;
        int[] keys = distinct(random, 1, half, pairs), values = distinct(random, half, vocab, pairs);
        int[] tokens = new int[length];
        int[] labels = Targets.unscoredLabels(length);
        for (int i = 0; i < pairs; i++) {
            tokens[2 * i] = keys[i];
            tokens[2 * i + 1] = values[i];
        }
        boolean[] query = new boolean[length];
        int[] gaps = powerLawGaps(random, (length - context) / 2, pairs);
        for (int i = 0; i < pairs; i++) {
            int at = context + 2 * gaps[i];
            tokens[at] = keys[i];
            labels[at] = values[i];
            query[at] = true;
        }
        if (randomFiller)
            for (int t = context; t < length; t++) if (!query[t]) tokens[t] = random.nextInt(vocab);
        return new Example(new Inputs.Tokens(tokens), new Targets.Classes(labels));
    }

    /** n distinct integers from [lo, hi), in random order (a partial Fisher–Yates shuffle). */
    private static int[] distinct(RandomStream random, int lo, int hi, int n) {
        int[] pool = new int[hi - lo];
        for (int i = 0; i < pool.length; i++) pool[i] = lo + i;
        for (int i = 0; i < n; i++) {
            int j = random.nextInt(i, pool.length), t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return java.util.Arrays.copyOf(pool, n);
    }

    /** n distinct gaps from [0, space), drawn one by one with weights (g + 1)^(powerA − 1) among those left (numpy's choice without replacement). */
    private int[] powerLawGaps(RandomStream random, int space, int n) {
        double[] weight = new double[space];
        for (int g = 0; g < space; g++) weight[g] = Math.pow(g + 1, powerA - 1);
        int[] gaps = new int[n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (double w : weight) total += w;
            double u = random.nextDouble() * total;
            int g = -1;
            for (int c = 0; c < space; c++) {
                if (weight[c] == 0) continue;
                g = c; // the last gap still free, should rounding leave u >= 0 at the end
                if ((u -= weight[c]) < 0) break;
            }
            gaps[i] = g;
            weight[g] = 0;
        }
        return gaps;
    }
}
