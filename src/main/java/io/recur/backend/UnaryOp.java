package io.recur.backend;

/**
 * Elementwise functions y = f(x). The backward computes dx = dy * f'(x), reading x or y, whichever
 * the derivative is cheaper from (both are passed).
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, TANH, SIGMOID, SILU,
    /** log(1 + e^x), equal to x above 20 (PyTorch's default threshold). */
    SOFTPLUS,
    /** The tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    GELU,
    RELU, ABS, SQUARE
}
