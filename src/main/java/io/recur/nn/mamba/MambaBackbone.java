package io.recur.nn.mamba;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.ModuleList;
import io.recur.nn.RMSNorm;
import java.util.ArrayList;
import java.util.List;

/** mamba_ssm's MixerModel, names embedding, layers.{i}, norm_f. */
public final class MambaBackbone extends Module {
    final TokenEmbedding embedding;
    final ModuleList<MambaBlock> layers;
    final RMSNorm normF;

    public MambaBackbone(Initializer init, MambaConfig config) {
        embedding = child("embedding", new TokenEmbedding(MambaInit.embedding(init, config.paddedVocabSize(), config.dModel())));
        List<MambaBlock> blocks = new ArrayList<>();
        for (int i = 0; i < config.nLayer(); i++) blocks.add(new MambaBlock(init, config));
        layers = child("layers", new ModuleList<>(blocks));
        normF = child("norm_f", new RMSNorm(init, config.dModel(), MambaConfig.NORM_EPS));
    }
}
