package io.recur.nn;

/**
 * LRU sizes and the ring initialisation of Orvieto et al. 2023: eigenvalue moduli uniform on the
 * ring r_min <= |λ| <= r_max (by area), phases uniform in [0, max_phase).
 */
public record LRUConfig(int dModel, int stateSize, double rMin, double rMax, double maxPhase) {
    public LRUConfig {
        if (dModel < 1 || stateSize < 1 || stateSize > 1 << 20)
            throw new IllegalArgumentException("LRU: d_model and state_size must be >= 1, got " + dModel + ", " + stateSize);
        if (!(0 <= rMin && rMin < rMax && rMax <= 1))
            throw new IllegalArgumentException("LRU: need 0 <= r_min < r_max <= 1, got " + rMin + ", " + rMax);
        if (!(maxPhase > 0)) throw new IllegalArgumentException("LRU: max_phase must be > 0, got " + maxPhase);
    }

    /** The paper's defaults: r in [0, 1), phase in [0, 2π). */
    public static LRUConfig of(int dModel, int stateSize) { return new LRUConfig(dModel, stateSize, 0, 1, 2 * Math.PI); }
}
