package io.recur.learn;

/**
 * Firing-rate regularisation: loss += coefficient · Σ_j (rate_j − target)², with rate_j neuron j's
 * spikes per step averaged over the batch and the sequence, and target = targetHz · dt / 1000
 * (dt in ms). The paper uses a target of 10 Hz.
 */
public record RateRegularizer(double coefficient, double targetHz) {
    public static final RateRegularizer NONE = new RateRegularizer(0, 0);

    public RateRegularizer {
        if (!(coefficient >= 0) || !(targetHz >= 0))
            throw new IllegalArgumentException("rate regularisation: coefficient and target rate must be >= 0, got " + coefficient + ", " + targetHz);
    }

    /** Target spikes per step of dt milliseconds. */
    public double targetPerStep(double dt) { return targetHz * dt / 1000; }
}
