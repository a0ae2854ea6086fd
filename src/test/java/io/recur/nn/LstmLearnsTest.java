package io.recur.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.ops.Loss;
import io.recur.ops.Shapes;
import io.recur.optim.ParameterGroup;
import io.recur.optim.Sgd;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Behaviour, not timing: a 1-layer LSTM (hidden 16) with a linear head reads 16 numbers in [-1, 1]
 * and learns whether their sum is positive, from chance (50%) to at least 90% on held-out
 * sequences in 300 SGD steps.
 */
class LstmLearnsTest {
    private static final int T = 16, HIDDEN = 16, BATCH = 32, STEPS = 300;

    @Test
    void learnsTheSignOfASum() {
        Backend cpu = Backends.cpu();
        Initializer init = new Initializer(cpu, 11);
        SplittableRandom data = new SplittableRandom(5);
        try (LSTM lstm = new LSTM(init, new RecurrentConfig(1, HIDDEN, 1, true, true)); Linear head = new Linear(init, HIDDEN, 2, true);
             Sgd sgd = new Sgd(ParameterGroup.of(concat(lstm, head)), new Sgd.Settings(0.9, false))) {
            double before = accuracy(lstm, head, data, cpu);
            for (int s = 0; s < STEPS; s++) {
                try (Scope step = Scope.open("step")) {
                    Batch b = Batch.random(data, BATCH, cpu);
                    Tape.backward(Loss.crossEntropy(logits(lstm, head, b.x), b.y));
                }
                sgd.step(0.1);
                lstm.zeroGrad();
                head.zeroGrad();
            }
            double after = accuracy(lstm, head, data, cpu);
            assertTrue(after >= 0.9, "accuracy " + before + " before training, " + after + " after " + STEPS + " steps");
        }
    }

    private static java.util.List<Tensor> concat(Module a, Module b) {
        java.util.List<Tensor> all = new java.util.ArrayList<>(a.parameters());
        all.addAll(b.parameters());
        return all;
    }

    /** Logits from the last step's output. */
    private static Tensor logits(LSTM lstm, Linear head, Tensor x) {
        Tensor last = lstm.forward(x, null).state().part(0);   // h_n (1, batch, hidden)
        return head.forward(Shapes.reshape(last, x.dim(0), HIDDEN));
    }

    private static double accuracy(LSTM lstm, Linear head, SplittableRandom data, Backend cpu) {
        try (Scope s = Scope.open("eval"); Tape.NoGrad off = Tape.noGrad()) {
            Batch b = Batch.random(data, 512, cpu);
            float[] l = logits(lstm, head, b.x).toFloatArray();
            int[] y = b.y.toIntArray();
            int correct = 0;
            for (int i = 0; i < y.length; i++) if ((l[2 * i + 1] > l[2 * i] ? 1 : 0) == y[i]) correct++;
            return (double) correct / y.length;
        }
    }

    private record Batch(Tensor x, Tensor y) {
        static Batch random(SplittableRandom r, int size, Backend backend) {
            float[] x = new float[size * T];
            int[] y = new int[size];
            for (int i = 0; i < size; i++) {
                double sum = 0;
                for (int t = 0; t < T; t++) sum += x[i * T + t] = (float) (r.nextDouble() * 2 - 1);
                y[i] = sum > 0 ? 1 : 0;
            }
            return new Batch(backend.fromArray(x, Shape.of(size, T, 1)), backend.fromArray(y, Shape.of(size)));
        }
    }
}
