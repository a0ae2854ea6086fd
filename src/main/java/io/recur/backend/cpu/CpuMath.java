package io.recur.backend.cpu;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;

/**
 * The scalar functions behind the elementwise kernels and their derivatives, one switch each. The
 * switch sits inside the loops; its branch is perfectly predictable, and it keeps one loop per kernel.
 */
final class CpuMath {
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;
    private static final float SOFTPLUS_THRESHOLD = 20f;

    private CpuMath() {}

    static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) sigmoid(x);
            case SILU -> (float) (x * sigmoid(x));
            case SOFTPLUS -> x > SOFTPLUS_THRESHOLD ? x : (float) Math.log1p(Math.exp(x));
            case GELU -> (float) (0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x))));
            case RELU -> x > 0 ? x : 0f;
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
        };
    }

    /** d op(x) / dx, from x or from y = op(x), whichever is cheaper. */
    static float derivative(UnaryOp op, float x, float y) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> y;
            case LOG -> 1f / x;
            case SQRT -> 0.5f / y;
            case TANH -> 1f - y * y;
            case SIGMOID -> y * (1f - y);
            case SILU -> {
                double s = sigmoid(x);
                yield (float) (s * (1 + x * (1 - s)));
            }
            case SOFTPLUS -> x > SOFTPLUS_THRESHOLD ? 1f : (float) sigmoid(x);
            case GELU -> {
                double x2 = (double) x * x;
                double t = Math.tanh(GELU_C * (x + GELU_A * x2 * x));
                yield (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x2));
            }
            case RELU -> x > 0 ? 1f : 0f;
            case ABS -> Math.signum(x);
            case SQUARE -> 2f * x;
        };
    }

    /** Overflow-free logistic function. */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    static float apply(ScalarOp op, float x, float s) {
        return switch (op) {
            case ADD -> x + s;
            case MUL -> x * s;
            case POW -> (float) Math.pow(x, s);
            case RSUB -> s - x;
            case RDIV -> s / x;
        };
    }

    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);   // propagates NaN
            case MIN -> Math.min(a, b);
        };
    }

    /** d op(a, b) / da (wrtA) or / db; MAX/MIN ties go to a. */
    static float partial(BinaryOp op, float a, float b, boolean wrtA) {
        return switch (op) {
            case ADD -> 1f;
            case SUB -> wrtA ? 1f : -1f;
            case MUL -> wrtA ? b : a;
            case DIV -> wrtA ? 1f / b : -a / (b * b);
            case MAX -> (a >= b) == wrtA ? 1f : 0f;
            case MIN -> (a <= b) == wrtA ? 1f : 0f;
        };
    }
}
