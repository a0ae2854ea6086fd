package io.recur.nn.mamba;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.RMSNorm;

/**
 * One of mamba_ssm's residual blocks, names norm and mixer: x ← x + mixer(RMSNorm(x)). mamba_ssm
 * carries the residual beside the hidden state (and may fuse the add into the norm); the sums are
 * the same.
 */
public final class MambaBlock extends Module {
    final RMSNorm norm;
    final MambaMixer mixer;

    public MambaBlock(Initializer init, MambaConfig config) {
        // mamba_ssm's Block registers the mixer before the norm; torch's state_dict lists them so.
        mixer = child("mixer", new MambaMixer(init, config));
        norm = child("norm", new RMSNorm(init, config.dModel(), MambaConfig.NORM_EPS));
    }

    public MambaMixer mixer() { return mixer; }
}
