package io.recur.parallel;

/** Which part of ∂f/∂h a cell computes: none, the diagonal alone (quasi methods) or the full matrix. */
public enum JacobianKind { NONE, DIAGONAL, FULL }
