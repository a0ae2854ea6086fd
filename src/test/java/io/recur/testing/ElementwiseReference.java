package io.recur.testing;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;

/** Float64 definitions of the elementwise functions and their derivatives, one value at a time. */
public final class ElementwiseReference {
    private ElementwiseReference() {}

    public static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case SILU -> x / (1 + Math.exp(-x));
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case GELU -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(x, 0);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
        };
    }

    /** f'(x) by a central difference of {@link #unary} (exact for the kinked RELU and ABS), independent of any closed form. */
    public static double unaryDerivative(UnaryOp op, double x) {
        if (op == UnaryOp.RELU) return x > 0 ? 1 : 0;
        if (op == UnaryOp.ABS) return Math.signum(x);
        double h = 1e-6 * Math.max(1, Math.abs(x));
        return (unary(op, x + h) - unary(op, x - h)) / (2 * h);
    }

    public static double scalar(ScalarOp op, double x, double s) {
        return switch (op) {
            case ADD -> x + s;
            case MUL -> x * s;
            case POW -> Math.pow(x, s);
            case RSUB -> s - x;
            case RDIV -> s / x;
        };
    }

    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> a >= b ? a : b;
            case MIN -> a <= b ? a : b;
        };
    }

    /** d op(a, b) / da (wrtA) or / db; MAX and MIN send ties to a. */
    public static double partial(BinaryOp op, double a, double b, boolean wrtA) {
        return switch (op) {
            case ADD -> 1;
            case SUB -> wrtA ? 1 : -1;
            case MUL -> wrtA ? b : a;
            case DIV -> wrtA ? 1 / b : -a / (b * b);
            case MAX -> (a >= b) == wrtA ? 1 : 0;
            case MIN -> (a <= b) == wrtA ? 1 : 0;
        };
    }
}
