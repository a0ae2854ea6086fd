package io.recur.autograd;

import io.recur.tensor.Tensor;

/** What a backward may read: the tensors its forward saved, and which inputs need gradients. */
public final class Context {
    private final Tensor[] saved;
    private final boolean[] needsGrad;

    Context(Tensor[] saved, boolean[] needsGrad) {
        this.saved = saved;
        this.needsGrad = needsGrad;
    }

    /** Saved tensor i, in the order given to {@link Tape#record}. */
    public Tensor saved(int i) { return saved[i]; }

    public boolean needsGrad(int input) { return needsGrad[input]; }

    void release() {
        for (Tensor t : saved) if (t != null) t.close();
    }
}
