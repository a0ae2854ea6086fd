package io.recur.backend;

import java.util.Arrays;

/**
 * Where each term of a block Jacobian built by {@link Backend#rowScaledBlocks} goes. The output is a
 * blocks × blocks grid of n × n blocks; term k adds diag(c_k) W_g to block (row k, column k), with
 * c_k the k-th coefficient vector and W_g = rows [g·n, (g+1)·n) of the weight matrix for
 * g = weightBlock(k), or diag(c_k) alone where that is {@link #IDENTITY}. Blocks no term names are zero.
 * Terms of one block add up in the order given.
 */
public final class BlockTerms {
    /** The weight block of a term that is diag(c_k) alone. */
    public static final int IDENTITY = -1;
    /** The most terms a Jacobian may have (TERMS_MAX in kernels/deer.cu). */
    public static final int MAX_TERMS = 16;

    private final int blocks;
    private final int[] rows, cols, weightBlocks;

    /**
     * @param blocks       the grid is blocks × blocks
     * @param rows         block row of each term, in [0, blocks)
     * @param cols         block column of each term, in [0, blocks)
     * @param weightBlocks weight block of each term (>= 0), or IDENTITY
     */
    public BlockTerms(int blocks, int[] rows, int[] cols, int[] weightBlocks) {
        int count = weightBlocks.length;
        if (blocks < 1) throw new IllegalArgumentException("BlockTerms: blocks must be >= 1, got " + blocks);
        if (rows.length != count || cols.length != count)
            throw new IllegalArgumentException("BlockTerms: rows, cols and weightBlocks must have one entry per term, got "
                    + rows.length + ", " + cols.length + " and " + count);
        if (count < 1 || count > MAX_TERMS)
            throw new IllegalArgumentException("BlockTerms: between 1 and " + MAX_TERMS + " terms, got " + count);
        for (int k = 0; k < count; k++)
            if (rows[k] < 0 || rows[k] >= blocks || cols[k] < 0 || cols[k] >= blocks || weightBlocks[k] < IDENTITY)
                throw new IllegalArgumentException("BlockTerms: term " + k + " at block (" + rows[k] + ", " + cols[k]
                        + ") with weight block " + weightBlocks[k] + " is outside a " + blocks + "×" + blocks
                        + " grid (weight blocks are >= 0, or IDENTITY)");
        this.blocks = blocks;
        this.rows = rows.clone();
        this.cols = cols.clone();
        this.weightBlocks = weightBlocks.clone();
    }

    /** Terms that all go into a single block (a 1 × 1 grid). */
    public static BlockTerms single(int... weightBlocks) {
        return new BlockTerms(1, new int[weightBlocks.length], new int[weightBlocks.length], weightBlocks);
    }

    public int blocks() { return blocks; }

    public int count() { return weightBlocks.length; }

    public int row(int k) { return rows[k]; }

    public int col(int k) { return cols[k]; }

    public int weightBlock(int k) { return weightBlocks[k]; }

    /** The largest weight block any term uses, or IDENTITY if none uses one. */
    public int maxWeightBlock() { return Arrays.stream(weightBlocks).max().orElse(IDENTITY); }

    @Override
    public String toString() {
        return "BlockTerms[" + blocks + "×" + blocks + ", rows " + Arrays.toString(rows) + ", cols " + Arrays.toString(cols)
                + ", weight blocks " + Arrays.toString(weightBlocks) + "]";
    }
}
