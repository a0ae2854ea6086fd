package io.recur.data;

import java.util.List;

/**
 * What a model reads: token ids, row-major (batch, length), or feature vectors, row-major
 * (batch, length, width). One example is a batch of one.
 */
public sealed interface Inputs {

    /** Token ids in [0, vocab). */
    record Tokens(int[] ids) implements Inputs {
        @Override public int elements() { return ids.length; }
    }

    /** Real-valued features, {@code width} per position. */
    record Features(float[] values, int width) implements Inputs {
        public Features {
            if (width < 1 || values.length % width != 0)
                throw new IllegalArgumentException("features: " + values.length + " values do not divide into width " + width);
        }
        @Override public int elements() { return values.length; }
    }

    /** Number of stored values (positions × width). */
    int elements();

    /** The examples' inputs one after another; all must be of one kind (and one width). */
    static Inputs concat(List<Inputs> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("no inputs to concatenate");
        int n = parts.stream().mapToInt(Inputs::elements).sum(), at = 0;
        if (parts.getFirst() instanceof Tokens) {
            int[] ids = new int[n];
            for (Inputs p : parts) {
                if (!(p instanceof Tokens t)) throw new IllegalArgumentException("cannot mix token and feature inputs");
                System.arraycopy(t.ids(), 0, ids, at, t.ids().length);
                at += t.ids().length;
            }
            return new Tokens(ids);
        }
        int width = ((Features) parts.getFirst()).width();
        float[] values = new float[n];
        for (Inputs p : parts) {
            if (!(p instanceof Features f) || f.width() != width)
                throw new IllegalArgumentException("cannot mix features of width " + width + " with other inputs");
            System.arraycopy(f.values(), 0, values, at, f.values().length);
            at += f.values().length;
        }
        return new Features(values, width);
    }
}
