package io.recur.data;

/**
 * What a task's batches look like and how they are scored, so a trainer can size a model and
 * pick its loss: token inputs ({@code vocabSize > 0}) or feature inputs ({@code inputFeatures > 0});
 * class targets ({@code numClasses > 0}, cross-entropy) or one real value per position
 * ({@code numClasses == 0}, MSE).
 */
public record TaskSpec(String name, int sequenceLength, int vocabSize, int inputFeatures, int numClasses, Metric metric) {
    public TaskSpec {
        if (sequenceLength < 1) throw new IllegalArgumentException(name + ": sequence length must be at least 1, got " + sequenceLength);
        if ((vocabSize > 0) == (inputFeatures > 0) || vocabSize < 0 || inputFeatures < 0)
            throw new IllegalArgumentException(name + ": exactly one of vocabSize (" + vocabSize + ") and inputFeatures (" + inputFeatures + ") must be positive");
        if (numClasses < 0) throw new IllegalArgumentException(name + ": negative number of classes " + numClasses);
        if ((numClasses > 0) == (metric == Metric.MSE))
            throw new IllegalArgumentException(name + ": metric " + metric + " does not fit " + (numClasses > 0 ? numClasses + " classes" : "real-valued targets"));
    }

    /** A task whose inputs are token ids. */
    public static TaskSpec tokens(String name, int length, int vocabSize, int numClasses, Metric metric) {
        if (vocabSize < 1) throw new IllegalArgumentException(name + ": vocabulary size must be at least 1, got " + vocabSize);
        return new TaskSpec(name, length, vocabSize, 0, numClasses, metric);
    }

    /** A task whose inputs are feature vectors. */
    public static TaskSpec features(String name, int length, int inputFeatures, int numClasses, Metric metric) {
        if (inputFeatures < 1) throw new IllegalArgumentException(name + ": input features must be at least 1, got " + inputFeatures);
        return new TaskSpec(name, length, 0, inputFeatures, numClasses, metric);
    }

    public boolean tokenInputs() { return vocabSize > 0; }

    public boolean classification() { return numClasses > 0; }

    /** Width of the model's output at each position: class logits, or one value. */
    public int outputWidth() { return classification() ? numClasses : 1; }
}
