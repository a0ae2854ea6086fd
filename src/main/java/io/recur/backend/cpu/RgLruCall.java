package io.recur.backend.cpu;

/**
 * The inputs of one RG-LRU call as arrays with their element offsets (null arrays for absent
 * optional tensors), shared by all its rows, and the row decomposition: a row is one batch element
 * and a tile of up to TILE channels, contiguous at every time step of the channels-last layout.
 * softplus holds softplus(Λ) per channel, computed once per call. h is the forward's output.
 */
record RgLruCall(float[] x, int xOff, float[] gateX, int gateXOff, float[] gateA, int gateAOff,
                 float[] resets, int resetsOff, float[] h0, int h0Off, float[] h, int hOff,
                 float[] softplus, int batch, int length, int width) {
    /** Channels per row: wide enough for vectorised inner loops, narrow enough for many rows. */
    static final int TILE = 64;

    int tiles() { return (width + TILE - 1) / TILE; }

    int rows() { return batch * tiles(); }

    /** Element (b, t, c) of the channels-last layout (without a tensor's offset). */
    int index(int b, int t, int c) { return (b * length + t) * width + c; }

    boolean isReset(int b, int t) { return resets != null && resets[resetsOff + b * length + t] != 0f; }
}
