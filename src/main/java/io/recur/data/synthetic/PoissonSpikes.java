package io.recur.data.synthetic;

import io.recur.data.RandomStream;

/**
 * Poisson spike trains as feature inputs (1 for a spike, 0 otherwise), for the spiking-network
 * tasks: each channel in a range spikes independently at each step of a window with probability
 * rate × step duration (capped at 1, which a very coarse step reaches).
 */
final class PoissonSpikes {
    private PoissonSpikes() {}

    /** The probability of a spike per step of {@code stepMs} milliseconds at {@code rateHz}. */
    static double perStep(double rateHz, double stepMs) { return Math.min(1, rateHz * stepMs / 1000); }

    /** Spikes into x (length × width, row-major) on channels [from, to) at steps [start, end). */
    static void fill(float[] x, int width, int from, int to, int start, int end, double probability, RandomStream random) {
        for (int t = start; t < end; t++)
            for (int ch = from; ch < to; ch++)
                if (random.nextDouble() < probability) x[t * width + ch] = 1f;
    }
}
