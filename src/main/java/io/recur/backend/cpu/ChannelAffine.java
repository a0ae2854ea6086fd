package io.recur.backend.cpu;

/**
 * The aggregate of a run of diagonal affine steps over n channels, stored as one array
 * [a_0..a_{n-1} | b_0..b_{n-1}]: the map h ↦ a ⊙ h + b that the run applies to its entering state.
 */
final class ChannelAffine {
    private ChannelAffine() {}

    /** The state after the run: a ⊙ state + b. */
    static float[] apply(float[] state, float[] aggregate) {
        int n = state.length;
        float[] next = new float[n];
        for (int j = 0; j < n; j++) next[j] = aggregate[j] * state[j] + aggregate[n + j];
        return next;
    }
}
