package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: a 2-layer MLP (linear → tanh → linear → cross entropy) trained by plain SGD on three
 * well separated Gaussian blobs in the plane must learn to classify them.
 */
class MlpTrainingTest {
    private static final int POINTS = 300, CLASSES = 3, HIDDEN = 16, STEPS = 200;
    private static final float LEARNING_RATE = 0.5f;

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sgdLearnsSeparableBlobs(Backend backend) {
        Random random = new Random(7);
        float[] points = new float[POINTS * 2];
        int[] labels = new int[POINTS];
        for (int i = 0; i < POINTS; i++) {
            labels[i] = i % CLASSES;
            double angle = 2 * Math.PI * labels[i] / CLASSES;
            points[2 * i] = (float) (3 * Math.cos(angle) + 0.7 * random.nextGaussian());
            points[2 * i + 1] = (float) (3 * Math.sin(angle) + 0.7 * random.nextGaussian());
        }
        try (Scope model = Scope.open("model")) {
            Tensor x = backend.fromArray(points, Shape.of(POINTS, 2));
            Tensor y = backend.fromArray(labels, Shape.of(POINTS));
            Tensor w1 = init(backend, random, HIDDEN, 2), b1 = init(backend, random, HIDDEN);
            Tensor w2 = init(backend, random, CLASSES, HIDDEN), b2 = init(backend, random, CLASSES);
            List<Tensor> params = List.of(w1, b1, w2, b2);
            float firstLoss = Float.NaN, loss = Float.NaN;
            for (int step = 0; step < STEPS; step++) {
                try (Scope s = Scope.open("step")) {
                    Tensor l = Loss.crossEntropy(forward(x, w1, b1, w2, b2), y);
                    loss = l.item();
                    if (step == 0) firstLoss = loss;
                    Tape.backward(l);
                    for (Tensor p : params) {
                        sgd(p, p.grad());
                        p.zeroGrad();
                    }
                }
            }
            double accuracy;
            try (Tape.NoGrad ng = Tape.noGrad(); Scope s = Scope.open("eval")) {
                accuracy = accuracy(forward(x, w1, b1, w2, b2).toFloatArray(), labels);
            }
            assertTrue(accuracy > 0.95, "accuracy " + accuracy + " after " + STEPS + " steps (loss " + firstLoss + " -> " + loss + ")");
            assertTrue(loss < 0.5 * firstLoss, "loss " + firstLoss + " -> " + loss);
        }
    }

    private static Tensor forward(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        return MatMul.linear(Activations.tanh(MatMul.linear(x, w1, b1)), w2, b2);
    }

    /** p -= lr * g, outside the tape. */
    private static void sgd(Tensor p, Tensor g) {
        try (Tape.NoGrad ng = Tape.noGrad(); Tensor step = Arith.mulScalar(g, LEARNING_RATE)) {
            p.backend().binary(BinaryOp.SUB, p, step, p);
        }
    }

    /** Uniform in ±1/sqrt(fan_in), torch's default for Linear. */
    private static Tensor init(Backend backend, Random random, int... shape) {
        float bound = (float) (1 / Math.sqrt(shape.length == 2 ? shape[1] : 2));
        float[] v = new float[Shape.of(shape).intSize()];
        for (int i = 0; i < v.length; i++) v[i] = (2 * random.nextFloat() - 1) * bound;
        return backend.fromArray(v, Shape.of(shape)).requiresGrad(true);
    }

    private static double accuracy(float[] logits, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < CLASSES; c++) if (logits[i * CLASSES + c] > logits[i * CLASSES + best]) best = c;
            if (best == labels[i]) right++;
        }
        return (double) right / labels.length;
    }
}
