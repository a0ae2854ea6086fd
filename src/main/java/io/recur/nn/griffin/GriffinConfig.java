package io.recur.nn.griffin;

import java.util.ArrayList;
import java.util.List;

/**
 * recurrentgemma's GriffinConfig: the sizes of a Hawk or Griffin language model. Hawk is the
 * all-recurrent pattern; Griffin repeats (recurrent, recurrent, attention). Field names follow the
 * reference's config so config.json reads the same in both projects.
 *
 * @param vocabSize                   token vocabulary
 * @param width                       model width (residual stream)
 * @param mlpExpandedWidth            hidden width of the gated MLP
 * @param numHeads                    RG-LRU gate blocks and attention query heads (both divide their widths)
 * @param lruWidth                    RG-LRU width
 * @param blockTypes                  one temporal block type per residual block
 * @param attentionWindowSize         attention looks back this many positions besides its own (the reference's mask)
 * @param conv1dTemporalWidth         the recurrent block's causal convolution width (2 … 4; the reference uses 4)
 * @param embeddingsScaleBySqrtDim    multiply embeddings by sqrt(width), as the reference's embedder may
 * @param logitsSoftCap               logits = c · tanh(logits / c) when > 0; 0 turns it off
 */
public record GriffinConfig(int vocabSize, int width, int mlpExpandedWidth, int numHeads, int lruWidth,
                            List<TemporalBlockType> blockTypes, int attentionWindowSize, int conv1dTemporalWidth,
                            boolean embeddingsScaleBySqrtDim, float logitsSoftCap) {
    /** Registry names of the two reference variants. */
    public static final String HAWK = "hawk", GRIFFIN = "griffin";

    public GriffinConfig {
        blockTypes = List.copyOf(blockTypes);
        if (vocabSize < 1 || width < 1 || mlpExpandedWidth < 1 || numHeads < 1 || lruWidth < 1)
            throw new IllegalArgumentException("GriffinConfig: vocab_size, width, mlp_expanded_width, num_heads and lru_width must be >= 1, got "
                    + vocabSize + ", " + width + ", " + mlpExpandedWidth + ", " + numHeads + ", " + lruWidth);
        if (blockTypes.isEmpty()) throw new IllegalArgumentException("GriffinConfig: block_types is empty; a model needs at least one block");
        if (lruWidth % numHeads != 0)
            throw new IllegalArgumentException("GriffinConfig: lru_width " + lruWidth + " must be a multiple of num_heads " + numHeads);
        if (blockTypes.contains(TemporalBlockType.ATTENTION)) {
            if (width % numHeads != 0 || (width / numHeads) % 4 != 0)
                throw new IllegalArgumentException("GriffinConfig: attention needs width / num_heads to be a multiple of 4 (RoPE rotates"
                        + " pairs in the first half of each head), got width " + width + ", num_heads " + numHeads);
            if (attentionWindowSize < 1)
                throw new IllegalArgumentException("GriffinConfig: attention_window_size must be >= 1, got " + attentionWindowSize);
        }
        if (conv1dTemporalWidth < 2 || conv1dTemporalWidth > 4)
            throw new IllegalArgumentException("GriffinConfig: conv1d_temporal_width must be 2 … 4, got " + conv1dTemporalWidth);
        if (!(logitsSoftCap >= 0)) throw new IllegalArgumentException("GriffinConfig: logits_soft_cap must be >= 0, got " + logitsSoftCap);
    }

    /** Hawk: depth recurrent blocks, lru_width = width, MLP expanded 3×, no soft cap, unscaled embeddings. */
    public static GriffinConfig hawk(int vocabSize, int width, int depth, int numHeads) {
        return new GriffinConfig(vocabSize, width, 3 * width, numHeads, width, pattern(depth, false), 0, 4, false, 0f);
    }

    /** Griffin: depth blocks in the pattern (recurrent, recurrent, attention), window attentionWindowSize. */
    public static GriffinConfig griffin(int vocabSize, int width, int depth, int numHeads, int attentionWindowSize) {
        return new GriffinConfig(vocabSize, width, 3 * width, numHeads, width, pattern(depth, true), attentionWindowSize, 4, false, 0f);
    }

    /** The number of residual blocks. */
    public int numLayers() { return blockTypes.size(); }

    /** Attention head width: width / num_heads. */
    public int headDim() { return width / numHeads; }

    private static List<TemporalBlockType> pattern(int depth, boolean withAttention) {
        if (depth < 1) throw new IllegalArgumentException("GriffinConfig: depth must be >= 1, got " + depth);
        List<TemporalBlockType> types = new ArrayList<>();
        for (int i = 0; i < depth; i++)
            types.add(withAttention && i % 3 == 2 ? TemporalBlockType.ATTENTION : TemporalBlockType.RECURRENT);
        return types;
    }
}
