package io.recur.learn;

/**
 * One LSTM layer and its linear readout as float64 host arrays, row-major, gates in torch's order
 * i, f, g, o: weight_ih (4·hidden, inputs), weight_hh (4·hidden, hidden), bias_ih and bias_hh
 * (4·hidden), the readout's weight (outputs, hidden) and bias (outputs). The LSTM e-prop engine
 * reads these; gradients come back in the same layout.
 */
public record LstmWeights(int inputs, int hidden, int outputs, double[] ih, double[] hh, double[] biasIh, double[] biasHh,
                          double[] out, double[] outBias) {
    public LstmWeights {
        int gates = 4 * hidden;
        if (ih.length != gates * inputs || hh.length != gates * hidden || biasIh.length != gates || biasHh.length != gates
                || out.length != outputs * hidden || outBias.length != outputs)
            throw new IllegalArgumentException("LSTM weights: expected weight_ih (" + gates + ", " + inputs + "), weight_hh (" + gates + ", " + hidden
                    + "), biases (" + gates + "), readout (" + outputs + ", " + hidden + ") and (" + outputs + "); got " + ih.length + ", "
                    + hh.length + ", " + biasIh.length + ", " + biasHh.length + ", " + out.length + ", " + outBias.length + " values");
    }

    /** All zeros, shaped like these weights: where gradients accumulate. */
    public LstmWeights zerosLike() {
        int gates = 4 * hidden;
        return new LstmWeights(inputs, hidden, outputs, new double[gates * inputs], new double[gates * hidden], new double[gates],
                new double[gates], new double[outputs * hidden], new double[outputs]);
    }

    /** B = W_outᵀ, (hidden, outputs). */
    public double[] symmetricFeedback() { return FeedbackWeights.transpose(out, hidden, outputs); }
}
