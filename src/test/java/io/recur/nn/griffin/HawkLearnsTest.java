package io.recur.nn.griffin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.optim.AdamW;
import io.recur.optim.ParameterGroup;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.BinaryOp;
import io.recur.nn.Initializer;
import io.recur.ops.Loss;
import io.recur.ops.Shapes;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Behaviour: a tiny Hawk (width 32, 2 blocks) learns to recall the first token of a 24-token
 * sequence at its last position — 20 steps further back than the convolution reaches, so the
 * RG-LRU must carry it — from chance (1/8) to ≥ 90% within 300 Adam steps (checked every 25; it stops when there).
 */
class HawkLearnsTest {
    private static final int VOCAB = 8, T = 24, BATCH = 32, STEPS = 300;

    @Test
    void recallsTheFirstToken() {
        Backend cpu = Backends.cpu();
        SplittableRandom data = new SplittableRandom(7);
        try (Griffin hawk = new Griffin(new Initializer(cpu, 5), GriffinConfig.hawk(VOCAB, 32, 2, 4));
             AdamW adam = new AdamW(ParameterGroup.of(hawk.parameters()), AdamW.Settings.defaults())) {
            double before = accuracy(hawk, data, cpu), after = before;
            int s = 0;
            while (s < STEPS && after < 0.9) {
                try (Scope step = Scope.open("step")) {
                    int[][] b = batch(data, BATCH);
                    Tape.backward(Loss.crossEntropy(lastLogits(hawk, b[0], BATCH, cpu), cpu.fromArray(b[1], Shape.of(BATCH))));
                }
                adam.step(1e-2);
                hawk.zeroGrad();
                if (++s % 25 == 0) after = accuracy(hawk, data, cpu);   // stop once it has learned: the test stays short
            }
            assertTrue(after >= 0.9, "accuracy " + before + " before training, " + after + " after " + s + " steps");
            System.out.println("HawkLearnsTest: accuracy " + before + " -> " + after + " in " + s + " steps");
        }
    }

    private static Tensor lastLogits(Griffin model, int[] ids, int batch, Backend backend) {
        Tensor logits = model.forward(backend.fromArray(ids, Shape.of(batch, T)), null).output();
        return Shapes.reshape(Shapes.slice(logits, 1, T - 1, T), batch, VOCAB);
    }

    private static double accuracy(Griffin model, SplittableRandom data, Backend backend) {
        try (Scope s = Scope.open("eval"); Tape.NoGrad off = Tape.noGrad()) {
            int n = 256;
            int[][] b = batch(data, n);
            float[] l = lastLogits(model, b[0], n, backend).toFloatArray();
            int correct = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int v = 1; v < VOCAB; v++) if (l[i * VOCAB + v] > l[i * VOCAB + best]) best = v;
                if (best == b[1][i]) correct++;
            }
            return (double) correct / n;
        }
    }

    /** Random tokens (size, T) and the first token of each row as the target. */
    private static int[][] batch(SplittableRandom r, int size) {
        int[] ids = new int[size * T], targets = new int[size];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(VOCAB);
        for (int i = 0; i < size; i++) targets[i] = ids[i * T];
        return new int[][] {ids, targets};
    }
}
