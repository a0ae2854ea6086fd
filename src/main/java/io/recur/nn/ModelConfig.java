package io.recur.nn;

/**
 * What builds a {@link SequenceModel}, saved as the checkpoint's config.json (snake_case keys,
 * mamba_ssm's names where they exist: d_model, n_layer, vocab_size). Token models have
 * {@code vocabSize > 0} and read through an embedding; feature models (sMNIST, adding) have
 * {@code inputFeatures > 0} and read through a linear projection. {@code outputSize} is the head's
 * width: the vocabulary for a language model, the classes, or 1 for a regression.
 * {@code stateSize} is the recurrent state per layer where the model has one of its own (LRU's N,
 * Mamba's d_state); the others ignore it.
 */
public record ModelConfig(String modelType, int dModel, int nLayer, int stateSize, int vocabSize, int inputFeatures,
                          int outputSize, boolean tieEmbeddings, double normEpsilon) {
    public ModelConfig {
        if (modelType == null || modelType.isBlank()) throw new IllegalArgumentException("model config: model_type is missing");
        if (dModel < 1 || nLayer < 1) throw new IllegalArgumentException(modelType + ": d_model and n_layer must be >= 1, got " + dModel + ", " + nLayer);
        if (stateSize < 1) throw new IllegalArgumentException(modelType + ": state_size must be >= 1, got " + stateSize);
        if ((vocabSize > 0) == (inputFeatures > 0) || vocabSize < 0 || inputFeatures < 0)
            throw new IllegalArgumentException(modelType + ": exactly one of vocab_size (" + vocabSize + ") and input_features (" + inputFeatures + ") must be positive");
        if (outputSize < 1) throw new IllegalArgumentException(modelType + ": output_size must be >= 1, got " + outputSize);
        if (tieEmbeddings && vocabSize != outputSize)
            throw new IllegalArgumentException(modelType + ": tie_embeddings needs a token model whose output is its vocabulary (vocab_size " + vocabSize + ", output_size " + outputSize + ")");
        if (!(normEpsilon > 0)) throw new IllegalArgumentException(modelType + ": norm_epsilon must be > 0, got " + normEpsilon);
    }

    public boolean tokenInputs() { return vocabSize > 0; }
}
