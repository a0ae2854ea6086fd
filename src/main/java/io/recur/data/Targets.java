package io.recur.data;

import java.util.List;

/**
 * What a model is scored against, one entry per input position, row-major (batch, length):
 * class labels with {@link #IGNORE} where nothing is scored, or real values with a 0/1 mask.
 */
public sealed interface Targets {
    /** Label of a position that is not scored; torch's default ignore_index, as Loss uses. */
    int IGNORE = -100;

    /** Class labels in [0, classes) or {@link #IGNORE}. */
    record Classes(int[] labels) implements Targets {
        @Override public int positions() { return labels.length; }
        @Override public boolean scored(int position) { return labels[position] != IGNORE; }
    }

    /** Real targets; {@code mask} is 1 where a position is scored and 0 elsewhere (its value is then 0). */
    record Values(float[] values, float[] mask) implements Targets {
        public Values {
            if (values.length != mask.length)
                throw new IllegalArgumentException("values (" + values.length + ") and mask (" + mask.length + ") differ in length");
        }
        @Override public int positions() { return values.length; }
        @Override public boolean scored(int position) { return mask[position] != 0f; }
    }

    /** Labels for {@code n} positions, none of them scored yet. */
    static int[] unscoredLabels(int n) {
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, IGNORE);
        return labels;
    }

    int positions();

    boolean scored(int position);

    /** The examples' targets one after another; all must be of one kind. */
    static Targets concat(List<Targets> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("no targets to concatenate");
        int n = parts.stream().mapToInt(Targets::positions).sum(), at = 0;
        if (parts.getFirst() instanceof Classes) {
            int[] labels = new int[n];
            for (Targets p : parts) {
                if (!(p instanceof Classes c)) throw new IllegalArgumentException("cannot mix class and value targets");
                System.arraycopy(c.labels(), 0, labels, at, c.labels().length);
                at += c.labels().length;
            }
            return new Classes(labels);
        }
        float[] values = new float[n], mask = new float[n];
        for (Targets p : parts) {
            if (!(p instanceof Values v)) throw new IllegalArgumentException("cannot mix class and value targets");
            System.arraycopy(v.values(), 0, values, at, v.values().length);
            System.arraycopy(v.mask(), 0, mask, at, v.mask().length);
            at += v.values().length;
        }
        return new Values(values, mask);
    }
}
