package io.recur.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How the next token is chosen from logits: temperature 0 is greedy (the arg-max, lowest index on
 * ties); otherwise softmax(logits / temperature) restricted to the topK most likely (0: all).
 */
public record Sampling(double temperature, int topK) {
    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0 (0: no limit), got " + topK);
    }

    public static Sampling greedy() { return new Sampling(0, 0); }

    public int choose(float[] logits, SplittableRandom random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature == 0) return best;
        double cutoff = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < logits.length) {
            float[] sorted = logits.clone();
            Arrays.sort(sorted);
            cutoff = sorted[sorted.length - topK];
        }
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++)
            if (logits[i] >= cutoff) total += weights[i] = Math.exp((logits[i] - logits[best]) / temperature);
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (weights[i] > 0 && u < 0) return i;
        }
        return best;
    }
}
