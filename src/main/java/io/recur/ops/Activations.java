package io.recur.ops;

import io.recur.backend.UnaryOp;
import io.recur.tensor.Tensor;

/** Elementwise nonlinearities y = f(x), each differentiable (see {@link UnaryOp} for definitions). */
public final class Activations {
    private Activations() {}

    public static Tensor exp(Tensor x) { return Elementwise.unary("exp", UnaryOp.EXP, x); }

    public static Tensor log(Tensor x) { return Elementwise.unary("log", UnaryOp.LOG, x); }

    public static Tensor sqrt(Tensor x) { return Elementwise.unary("sqrt", UnaryOp.SQRT, x); }

    public static Tensor tanh(Tensor x) { return Elementwise.unary("tanh", UnaryOp.TANH, x); }

    public static Tensor sigmoid(Tensor x) { return Elementwise.unary("sigmoid", UnaryOp.SIGMOID, x); }

    /** x * sigmoid(x) */
    public static Tensor silu(Tensor x) { return Elementwise.unary("silu", UnaryOp.SILU, x); }

    /** log(1 + e^x), and x itself above 20 (torch's default threshold). */
    public static Tensor softplus(Tensor x) { return Elementwise.unary("softplus", UnaryOp.SOFTPLUS, x); }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static Tensor gelu(Tensor x) { return Elementwise.unary("gelu", UnaryOp.GELU, x); }

    public static Tensor relu(Tensor x) { return Elementwise.unary("relu", UnaryOp.RELU, x); }

    public static Tensor abs(Tensor x) { return Elementwise.unary("abs", UnaryOp.ABS, x); }

    /** x * x */
    public static Tensor square(Tensor x) { return Elementwise.unary("square", UnaryOp.SQUARE, x); }
}
