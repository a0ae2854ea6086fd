package io.recur.nn;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Text generation with a recurrent model: the prompt is read one token at a time through
 * {@link SequenceModel#step}, and each new token is fed back the same way, so the work per token
 * does not grow with the text (the state carries the past).
 */
public final class Generation {
    private Generation() {}

    /** {@code count} new tokens after a non-empty prompt; the same seed gives the same tokens. */
    public static int[] generate(SequenceModel model, int[] prompt, int count, Sampling sampling, long seed) {
        if (!model.config().tokenInputs()) throw new IllegalArgumentException("generation needs a token model; this one reads features");
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt must hold at least one token");
        if (count < 0) throw new IllegalArgumentException("number of tokens must be >= 0, got " + count);
        int vocab = model.config().vocabSize();
        for (int t : prompt) if (t < 0 || t >= vocab) throw new IllegalArgumentException("prompt token " + t + " is outside the vocabulary [0, " + vocab + ")");
        Backend backend = model.parameters().getFirst().backend();
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[count];
        List<Tensor> state = null;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Tape.NoGrad off = Tape.noGrad()) {
            // position i feeds token i of prompt + output; from the prompt's last token on, each step picks the next one
            for (int i = 0; i < prompt.length + count - 1; i++) {
                int token = i < prompt.length ? prompt[i] : out[i - prompt.length];
                float[] logits;
                try (Scope s = Scope.open("generation step")) {
                    SequenceOutput o = model.step(backend.fromArray(new int[] {token}, Shape.of(1)), state == null ? null : new RecurrentState(state));
                    logits = o.output().toFloatArray();
                    List<Tensor> next = new ArrayList<>();
                    for (Tensor part : o.state().parts()) next.add(part.sharedView());   // outlives the step's scope
                    release(state);
                    state = next;
                }
                if (i >= prompt.length - 1) out[i - prompt.length + 1] = sampling.choose(logits, random);
            }
        } finally {
            release(state);
            model.train(wasTraining);
        }
        return out;
    }

    private static void release(List<Tensor> state) {
        if (state != null) state.forEach(Tensor::close);
    }
}
