package io.recur.nn;

/**
 * The constructor arguments of torch.nn.LSTM / torch.nn.GRU (config.json uses the same keys in
 * snake_case). Dropout between layers and proj_size are not supported.
 */
public record RecurrentConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst) {
    public RecurrentConfig {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new IllegalArgumentException("input_size, hidden_size and num_layers must be >= 1, got "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
    }

    /** torch's defaults: bias, time-major input. */
    public static RecurrentConfig of(int inputSize, int hiddenSize, int numLayers) {
        return new RecurrentConfig(inputSize, hiddenSize, numLayers, true, false);
    }

    public RecurrentConfig withBatchFirst(boolean on) { return new RecurrentConfig(inputSize, hiddenSize, numLayers, bias, on); }
}
