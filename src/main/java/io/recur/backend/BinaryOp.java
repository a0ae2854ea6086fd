package io.recur.backend;

/** Elementwise functions of two broadcast operands. */
public enum BinaryOp { ADD, SUB, MUL, DIV, MAX, MIN }
