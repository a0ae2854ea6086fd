package io.recur.backend;

/** y = f(x, s) for a float scalar s. */
public enum ScalarOp {
    /** x + s */ ADD,
    /** x * s */ MUL,
    /** x ^ s */ POW,
    /** s - x */ RSUB,
    /** s / x */ RDIV
}
