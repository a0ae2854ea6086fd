package io.recur.snn;

/**
 * A recurrent network of spiking neurons (LSNN, Bellec et al. 2018/2020): {@code lif} leaky
 * integrate-and-fire neurons followed by {@code alif} adaptive ones, fed by {@code inputs} channels,
 * read out by {@code outputs} leaky units. Times are in milliseconds, one step is {@code dt}.
 *
 * <p>Per step, with z the previous step's spikes:
 * v ← α v + (1 − α)(W_in x + W_rec z) − thr·z (reset by subtraction); b ← ρ b + z (ALIF only);
 * A = thr + β b; z' = H((v − A)/thr), 0 while refractory (n_ref steps after a spike);
 * readout y ← κ y + W_out z' + b_out. α = exp(−dt/τ_m), ρ = exp(−dt/τ_a), κ = exp(−dt/τ_out).
 * The spike's pseudo-derivative is γ·max(0, 1 − |(v − A)/thr|) in the scaled voltage.
 *
 * <p>{@code recurrent} false leaves W_rec out (a feed-forward spiking layer); {@code detachReset}
 * makes the reset carry no gradient, as e-prop assumes.
 */
public record LsnnConfig(int inputs, int lif, int alif, int outputs, double dt, double tauM, double tauA, double tauOut,
                         double threshold, double beta, int refractorySteps, double gamma, boolean recurrent, boolean detachReset) {
    /** The pseudo-derivative's dampening, as in the paper. */
    public static final double GAMMA = 0.3;

    public LsnnConfig {
        if (inputs < 1 || outputs < 1) throw new IllegalArgumentException("LSNN: inputs and outputs must be >= 1, got " + inputs + ", " + outputs);
        if (lif < 0 || alif < 0 || lif + alif < 1)
            throw new IllegalArgumentException("LSNN: needs at least one neuron and no negative counts, got " + lif + " LIF and " + alif + " ALIF");
        if (!(dt > 0 && tauM > 0 && tauA > 0 && tauOut > 0))
            throw new IllegalArgumentException("LSNN: dt and the time constants must be > 0, got dt " + dt + ", tau_m " + tauM + ", tau_a " + tauA + ", tau_out " + tauOut);
        if (!(threshold > 0)) throw new IllegalArgumentException("LSNN: threshold must be > 0, got " + threshold);
        if (!(beta >= 0)) throw new IllegalArgumentException("LSNN: beta must be >= 0, got " + beta);
        if (refractorySteps < 0) throw new IllegalArgumentException("LSNN: the refractory period must be >= 0 steps, got " + refractorySteps);
        if (!(gamma > 0)) throw new IllegalArgumentException("LSNN: gamma must be > 0, got " + gamma);
    }

    /**
     * The evidence-accumulation network of the paper, sized as asked: half LIF, half ALIF (the odd
     * one LIF), dt 1 ms, τ_m 20 ms, τ_a 2000 ms, τ_out 20 ms, threshold 0.6, 5 refractory steps,
     * β = 1.7(1 − ρ)/(1 − α) so that an adapting neuron's threshold rises about as its voltage does.
     */
    public static LsnnConfig evidenceAccumulation(int inputs, int neurons, int outputs) {
        double dt = 1, tauM = 20, tauA = 2000;
        double alpha = Math.exp(-dt / tauM), rho = Math.exp(-dt / tauA);
        return new LsnnConfig(inputs, neurons - neurons / 2, neurons / 2, outputs, dt, tauM, tauA, 20,
                0.6, 1.7 * (1 - rho) / (1 - alpha), 5, GAMMA, true, false);
    }

    public int neurons() { return lif + alif; }

    /** Membrane decay per step. */
    public double alpha() { return Math.exp(-dt / tauM); }

    /** Threshold-adaptation decay per step. */
    public double rho() { return Math.exp(-dt / tauA); }

    /** Readout decay per step. */
    public double kappa() { return Math.exp(-dt / tauOut); }

    /** β of neuron j: 0 for LIF neurons (the first {@link #lif}), {@link #beta} for ALIF ones. */
    public double betaOf(int j) { return j < lif ? 0 : beta; }
}
