package io.recur.nn.griffin;

/** recurrentgemma's common.TemporalBlockType: what mixes information over time in a residual block. */
public enum TemporalBlockType {
    /** Linear → conv1d → RG-LRU, times a gelu branch (Hawk's only kind). */
    RECURRENT,
    /** Local sliding-window multi-query attention. */
    ATTENTION
}
