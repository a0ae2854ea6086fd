package io.recur.data;

/** One sequence: its inputs and its per-position targets. */
public record Example(Inputs inputs, Targets targets) {}
