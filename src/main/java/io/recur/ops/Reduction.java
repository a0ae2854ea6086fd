package io.recur.ops;

/** How a loss combines its per-element values (torch's reduction argument). */
public enum Reduction {
    /** The mean over the counted elements (for cross entropy: the targets that are not ignored). */
    MEAN,
    /** The sum. */
    SUM,
    /** No reduction: one loss per element. */
    NONE
}
