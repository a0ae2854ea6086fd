package io.recur.nn;

import io.recur.models.Models;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GenerationTest {
    private static final Backend CPU = Backends.cpu();
    private static final int VOCAB = 13;

    private static SequenceModel model(String type) {
        return Models.create(new ModelConfig(type, 16, 2, 4, VOCAB, 0, VOCAB, false, 1e-5), new Initializer(CPU, 3));
    }

    /** Greedy tokens from the stepped state equal the arg-max of a full forward over the same prefix. */
    @ParameterizedTest @ValueSource(strings = {"lstm", "gru", "lru"})
    void greedyStepsAgreeWithFullForwards(String type) {
        int[] prompt = {1, 5, 2, 7};
        try (SequenceModel m = model(type)) {
            long open = MemoryTracker.openTensors();
            int[] out = Generation.generate(m, prompt, 6, Sampling.greedy(), 0);
            assertEquals(open, MemoryTracker.openTensors(), "generation leaked tensors");
            int[] text = Arrays.copyOf(prompt, prompt.length + out.length);
            System.arraycopy(out, 0, text, prompt.length, out.length);
            for (int i = 0; i < out.length; i++) {
                int length = prompt.length + i;
                try (Scope s = Scope.open("check"); Tape.NoGrad off = Tape.noGrad()) {
                    float[] logits = m.forward(CPU.fromArray(Arrays.copyOf(text, length), Shape.of(1, length))).toFloatArray();
                    float[] last = Arrays.copyOfRange(logits, (length - 1) * VOCAB, length * VOCAB);
                    assertEquals(Sampling.greedy().choose(last, null), out[i], type + ": token " + i + " after the prompt");
                }
            }
        }
    }

    @Test
    void samplingIsReproducibleForASeed() {
        try (SequenceModel m = model("gru")) {
            Sampling s = new Sampling(1.5, 0);
            int[] a = Generation.generate(m, new int[] {3}, 40, s, 42), b = Generation.generate(m, new int[] {3}, 40, s, 42);
            assertEquals(40, a.length);
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, Generation.generate(m, new int[] {3}, 40, s, 43)), "another seed gave the same 40 tokens");
        }
    }

    @Test
    void topKKeepsTheMostLikely() {
        float[] logits = {0f, 3f, 1f, 2.5f, -1f};
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            int c = new Sampling(5, 2).choose(logits, r);
            assertTrue(c == 1 || c == 3, "top-2 sampled " + c);
        }
        assertEquals(1, Sampling.greedy().choose(logits, r));
    }
}
