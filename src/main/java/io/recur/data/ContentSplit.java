package io.recur.data;

/**
 * Assigns an example to a split by a hash of its inputs: 80% of all possible input sequences are
 * training, 10% validation, 10% test. Drawing each split's examples from its own part keeps the
 * splits disjoint even where the space is small (parity of 8 bits has 256 sequences), and since
 * every task's targets are a function of its inputs, no (input, target) pair is shared either.
 */
public final class ContentSplit {
    private ContentSplit() {}

    public static Split of(Inputs inputs) {
        long bucket = Long.remainderUnsigned(hash(inputs), 10);
        return bucket < 8 ? Split.TRAIN : bucket == 8 ? Split.VALIDATION : Split.TEST;
    }

    /** FNV-1a over the 32-bit values, then a SplitMix64 finaliser so every bit mixes into the bucket. */
    static long hash(Inputs inputs) {
        long h = 0xCBF29CE484222325L;
        switch (inputs) {
            case Inputs.Tokens t -> { for (int v : t.ids()) h = (h ^ v) * 0x100000001B3L; }
            case Inputs.Features f -> { for (float v : f.values()) h = (h ^ Float.floatToIntBits(v)) * 0x100000001B3L; }
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
