package io.recur.nn.mamba;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.optim.AdamW;
import io.recur.optim.ParameterGroup;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Split;
import io.recur.data.SyntheticTask;
import io.recur.data.synthetic.SelectiveCopying;
import io.recur.nn.Initializer;
import io.recur.ops.Loss;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behaviour, not timing: a tiny Mamba (d_model 16, 2 layers) learns selective copying at a short
 * length (the Mamba paper's task, §4.1) from chance to at least 90% token accuracy on held-out
 * sequences within a few hundred Adam steps on the CPU.
 */
class MambaLearnsTest {
    private static final int LENGTH = 16, VOCAB = 6, COUNT = 3, BATCH = 32, STEPS = 300;

    @Test
    void learnsSelectiveCopying() {
        Backend cpu = Backends.cpu();
        SyntheticTask task = new SyntheticTask(new SelectiveCopying(LENGTH, VOCAB, COUNT), 1);
        MambaConfig config = MambaConfig.of(16, 2, VOCAB).withSsm(SsmConfig.defaults().withDState(8));
        try (MambaLM lm = new MambaLM(new Initializer(cpu, 3), config);
             AdamW adam = new AdamW(ParameterGroup.of(lm.parameters()), AdamW.Settings.defaults())) {
            double before = accuracy(lm, task, cpu), after = before;
            for (int step = 0; step < STEPS && after < 0.95; step++) {
                try (Scope s = Scope.open("step")) {
                    Batch b = task.batch(Split.TRAIN, step, BATCH);
                    Tape.backward(Loss.crossEntropy(lm.logits(b.inputs(cpu)), b.targets(cpu)));
                }
                adam.step(1e-2);
                lm.zeroGrad();
                if (step % 50 == 49) after = accuracy(lm, task, cpu);   // stop early once well past the bar
            }
            after = accuracy(lm, task, cpu);
            assertTrue(after >= 0.9, "token accuracy " + before + " before training, " + after + " after at most " + STEPS + " steps");
        }
    }

    /** Accuracy over the scored (marker) positions of 256 validation sequences. */
    private static double accuracy(MambaLM lm, SyntheticTask task, Backend cpu) {
        try (Scope s = Scope.open("eval"); Tape.NoGrad off = Tape.noGrad()) {
            Batch b = task.batch(Split.VALIDATION, 0, 256);
            float[] logits = lm.logits(b.inputs(cpu)).toFloatArray();
            int[] y = b.targets(cpu).toIntArray();
            int width = lm.config().paddedVocabSize(), scored = 0, correct = 0;
            for (int p = 0; p < y.length; p++) {
                if (y[p] < 0) continue;
                int best = 0;
                for (int v = 1; v < width; v++) if (logits[p * width + v] > logits[p * width + best]) best = v;
                scored++;
                if (best == y[p]) correct++;
            }
            return (double) correct / scored;
        }
    }
}
