// Elementwise functions and their derivatives. The op codes are part of the host contract:
// io.recur.backend.cuda.OpCodes maps the Java enums to these numbers explicitly.
#pragma once

enum UnaryCode { U_NEG = 0, U_EXP, U_LOG, U_SQRT, U_TANH, U_SIGMOID, U_SILU, U_SOFTPLUS, U_GELU, U_RELU, U_ABS, U_SQUARE };
enum ScalarCode { S_ADD = 0, S_MUL, S_POW, S_RSUB, S_RDIV };
enum BinaryCode { B_ADD = 0, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN };

#define GELU_C 0.7978845608028654f  // sqrt(2 / pi)
#define GELU_A 0.044715f

__device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

__device__ __forceinline__ float unaryValue(int op, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return expf(x);
        case U_LOG: return logf(x);
        case U_SQRT: return sqrtf(x);
        case U_TANH: return tanhf(x);
        case U_SIGMOID: return sigmoidf(x);
        case U_SILU: return x * sigmoidf(x);
        case U_SOFTPLUS: return x > 20.0f ? x : log1pf(expf(x));
        case U_GELU: return 0.5f * x * (1.0f + tanhf(GELU_C * (x + GELU_A * x * x * x)));
        case U_RELU: return x > 0.0f ? x : 0.0f;
        case U_ABS: return fabsf(x);
        case U_SQUARE: return x * x;
        default: return __int_as_float(0x7fffffff);  // unknown code: NaN makes the mistake visible
    }
}

// f'(x), given x and y = f(x) (whichever is cheaper).
__device__ __forceinline__ float unaryDerivative(int op, float x, float y) {
    switch (op) {
        case U_NEG: return -1.0f;
        case U_EXP: return y;
        case U_LOG: return 1.0f / x;
        case U_SQRT: return 0.5f / y;
        case U_TANH: return 1.0f - y * y;
        case U_SIGMOID: return y * (1.0f - y);
        case U_SILU: { const float s = sigmoidf(x); return s * (1.0f + x * (1.0f - s)); }
        case U_SOFTPLUS: return x > 20.0f ? 1.0f : sigmoidf(x);
        case U_GELU: {
            const float t = tanhf(GELU_C * (x + GELU_A * x * x * x));
            return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_C * (1.0f + 3.0f * GELU_A * x * x);
        }
        case U_RELU: return x > 0.0f ? 1.0f : 0.0f;
        case U_ABS: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
        case U_SQUARE: return 2.0f * x;
        default: return __int_as_float(0x7fffffff);
    }
}

__device__ __forceinline__ float scalarValue(int op, float x, float s) {
    switch (op) {
        case S_ADD: return x + s;
        case S_MUL: return x * s;
        case S_POW: return powf(x, s);
        case S_RSUB: return s - x;
        case S_RDIV: return s / x;
        default: return __int_as_float(0x7fffffff);
    }
}

// MAX and MIN prefer a on ties, matching the backward, which sends tied gradients to a.
__device__ __forceinline__ float binaryValue(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return a >= b ? a : b;
        case B_MIN: return a <= b ? a : b;
        default: return __int_as_float(0x7fffffff);
    }
}

// d op(a, b) / da (wrtA) or / db.
__device__ __forceinline__ float binaryDerivative(int op, float a, float b, bool wrtA) {
    switch (op) {
        case B_ADD: return 1.0f;
        case B_SUB: return wrtA ? 1.0f : -1.0f;
        case B_MUL: return wrtA ? b : a;
        case B_DIV: return wrtA ? 1.0f / b : -a / (b * b);
        case B_MAX: return (a >= b) == wrtA ? 1.0f : 0.0f;
        case B_MIN: return (a <= b) == wrtA ? 1.0f : 0.0f;
        default: return __int_as_float(0x7fffffff);
    }
}
