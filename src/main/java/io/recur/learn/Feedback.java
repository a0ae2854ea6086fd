package io.recur.learn;

import java.util.Locale;

/**
 * How e-prop sends the readout error back to the neurons (the learning signal L = B·error): through
 * the readout weights themselves (B = W_outᵀ, symmetric), through fixed random weights (random), or
 * through random weights that follow every change of W_out and decay toward it (adaptive, as in
 * Kolen–Pollack learning).
 */
public enum Feedback {
    SYMMETRIC, RANDOM, ADAPTIVE;

    public String cliName() { return name().toLowerCase(Locale.ROOT); }
}
