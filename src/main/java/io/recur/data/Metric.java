package io.recur.data;

/**
 * How a task is scored, over the scored positions only (labels other than {@link Targets#IGNORE},
 * or mask 1). {@link #score} turns model outputs on the host into a {@link Tally}, so a metric over
 * many batches is the sum of their tallies.
 */
public enum Metric {
    /** Fraction of scored positions whose arg-max logit is the label. */
    TOKEN_ACCURACY,
    /** Fraction of sequences with every scored position right (sequences with none are not counted). */
    SEQUENCE_ACCURACY,
    /** Mean squared error over scored positions. */
    MSE;

    /** A sum and the number of things summed; {@link #value()} is their ratio (NaN for none). */
    public record Tally(double sum, long count) {
        public static final Tally EMPTY = new Tally(0, 0);
        public Tally plus(Tally other) { return new Tally(sum + other.sum, count + other.count); }
        public double value() { return count == 0 ? Double.NaN : sum / count; }
    }

    /**
     * Scores outputs for a batch: logits (batch, length, classes) for the accuracies, values
     * (batch, length) for MSE, row-major.
     */
    public Tally score(Batch batch, float[] outputs) {
        TaskSpec spec = batch.spec();
        int positions = batch.size() * spec.sequenceLength(), width = spec.outputWidth();
        if (outputs.length != (long) positions * width)
            throw new IllegalArgumentException(this + " on " + spec.name() + ": expected " + positions + " × " + width + " outputs, got " + outputs.length);
        return switch (this) {
            case TOKEN_ACCURACY, SEQUENCE_ACCURACY -> accuracy(batch, outputs, this == SEQUENCE_ACCURACY);
            case MSE -> meanSquaredError(batch, outputs);
        };
    }

    private static Tally accuracy(Batch batch, float[] logits, boolean wholeSequence) {
        if (!(batch.targets() instanceof Targets.Classes classes))
            throw new IllegalArgumentException("accuracy needs class targets, " + batch.spec().name() + " has real values");
        int[] labels = classes.labels();
        int length = batch.spec().sequenceLength(), width = batch.spec().numClasses();
        double correct = 0;
        long counted = 0;
        for (int row = 0; row < batch.size(); row++) {
            int rowScored = 0, rowCorrect = 0;
            for (int t = 0; t < length; t++) {
                int p = row * length + t;
                if (labels[p] == Targets.IGNORE) continue;
                rowScored++;
                if (argMax(logits, p * width, width) == labels[p]) rowCorrect++;
            }
            if (wholeSequence) {
                if (rowScored > 0) { counted++; if (rowCorrect == rowScored) correct++; }
            } else {
                counted += rowScored;
                correct += rowCorrect;
            }
        }
        return new Tally(correct, counted);
    }

    private static Tally meanSquaredError(Batch batch, float[] predicted) {
        if (!(batch.targets() instanceof Targets.Values values))
            throw new IllegalArgumentException("MSE needs real-valued targets, " + batch.spec().name() + " has class labels");
        double sum = 0;
        long counted = 0;
        for (int p = 0; p < predicted.length; p++) {
            if (values.mask()[p] == 0f) continue;
            double d = predicted[p] - values.values()[p];
            sum += d * d;
            counted++;
        }
        return new Tally(sum, counted);
    }

    private static int argMax(float[] x, int from, int width) {
        int best = 0;
        for (int c = 1; c < width; c++) if (x[from + c] > x[from + best]) best = c;
        return best;
    }
}
