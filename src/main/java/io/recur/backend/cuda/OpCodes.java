package io.recur.backend.cuda;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;

/**
 * The op codes of kernels/ops.cuh. Mapped explicitly rather than by ordinal so that reordering a
 * Java enum cannot silently change which function a kernel computes; a test compares both sides.
 */
final class OpCodes {
    private OpCodes() {}

    static int unary(UnaryOp op) {
        return switch (op) {
            case NEG -> 0; case EXP -> 1; case LOG -> 2; case SQRT -> 3; case TANH -> 4; case SIGMOID -> 5;
            case SILU -> 6; case SOFTPLUS -> 7; case GELU -> 8; case RELU -> 9; case ABS -> 10; case SQUARE -> 11;
        };
    }

    static int scalar(ScalarOp op) {
        return switch (op) { case ADD -> 0; case MUL -> 1; case POW -> 2; case RSUB -> 3; case RDIV -> 4; };
    }

    static int binary(BinaryOp op) {
        return switch (op) { case ADD -> 0; case SUB -> 1; case MUL -> 2; case DIV -> 3; case MAX -> 4; case MIN -> 5; };
    }
}
