package io.recur.demo;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.Loss;
import io.recur.ops.MatMul;
import io.recur.optim.GradientClipping;
import io.recur.optim.ParameterGroup;
import io.recur.optim.Sgd;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * The smallest real training run: a tanh RNN reads 16 numbers in [-1, 1] one at a time and says
 * whether their sum is positive. h_t = tanh(x_t W_x + h_{t-1} W_h + b); logits = h_T W_o + b_o.
 * Chance is 50%; a working engine gets above 90% in a few hundred SGD steps.
 */
public final class SequenceSignDemo implements AutoCloseable {
    public static final int LENGTH = 16, CLASSES = 2;

    private final Backend backend;
    private final int hidden;
    private final Tensor wx, wh, b, wo, bo;
    private final List<Tensor> params;

    public SequenceSignDemo(Backend backend, int hidden, long seed) {
        this.backend = backend;
        this.hidden = hidden;
        SplittableRandom r = new SplittableRandom(seed);
        wx = param(r, 1, hidden, 1.0);
        wh = param(r, hidden, hidden, 1.0 / Math.sqrt(hidden));
        b = backend.zeros(Shape.of(hidden)).requiresGrad(true);
        wo = param(r, hidden, CLASSES, 1.0 / Math.sqrt(hidden));
        bo = backend.zeros(Shape.of(CLASSES)).requiresGrad(true);
        params = List.of(wx, wh, b, wo, bo);
    }

    private Tensor param(SplittableRandom r, int rows, int cols, double scale) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * Math.sqrt(3) * scale);
        return backend.fromArray(v, Shape.of(rows, cols)).requiresGrad(true);
    }

    public List<Tensor> parameters() { return params; }

    /** A batch: inputs (batch, LENGTH) and labels 1 where the sum is positive. */
    public record Batch(float[] inputs, int[] labels, int size) {
        public static Batch random(SplittableRandom r, int size) {
            float[] x = new float[size * LENGTH];
            int[] y = new int[size];
            for (int i = 0; i < size; i++) {
                double sum = 0;
                for (int t = 0; t < LENGTH; t++) sum += x[i * LENGTH + t] = (float) (r.nextDouble() * 2 - 1);
                y[i] = sum > 0 ? 1 : 0;
            }
            return new Batch(x, y, size);
        }
    }

    /** Logits (batch, CLASSES) for a batch. */
    public Tensor forward(Batch batch) {
        float[] column = new float[batch.size];
        Tensor h = backend.zeros(Shape.of(batch.size, hidden));
        for (int t = 0; t < LENGTH; t++) {
            for (int i = 0; i < batch.size; i++) column[i] = batch.inputs[i * LENGTH + t];
            Tensor xt = backend.fromArray(column, Shape.of(batch.size, 1));
            h = Activations.tanh(Arith.add(Arith.add(MatMul.matmul(xt, wx), MatMul.matmul(h, wh)), b));
        }
        return Arith.add(MatMul.matmul(h, wo), bo);
    }

    /** Mean cross-entropy of a batch, with the gradient left in the parameters. */
    public float trainStep(Batch batch) {
        try (Scope step = Scope.open("step")) {
            Tensor loss = Loss.crossEntropy(forward(batch), backend.fromArray(batch.labels, Shape.of(batch.size)));
            Tape.backward(loss);
            return loss.item();
        }
    }

    /** Fraction of a batch classified correctly. */
    public double accuracy(Batch batch) {
        try (Scope s = Scope.open("eval"); Tape.NoGrad ng = Tape.noGrad()) {
            float[] logits = forward(batch).toFloatArray();
            int correct = 0;
            for (int i = 0; i < batch.size; i++)
                if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == batch.labels[i]) correct++;
            return (double) correct / batch.size;
        }
    }

    /** Trains for the given steps; reports each step's loss. Returns validation accuracy. */
    public double train(int steps, int batchSize, float learningRate, long seed, DoubleConsumer onLoss) {
        SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Batch validation = Batch.random(data, 1024);
        try (Sgd sgd = new Sgd(ParameterGroup.of(params), new Sgd.Settings(0.9, false))) {
            for (int s = 0; s < steps; s++) {
                params.forEach(Tensor::zeroGrad);
                float loss = trainStep(Batch.random(data, batchSize));
                if (!Float.isFinite(loss))
                    throw new IllegalStateException("loss became " + loss + " at step " + s + "; lower the learning rate (--lr)");
                GradientClipping.clipGlobalNorm(params, 1.0);   // RNNs need it early on
                sgd.step(learningRate);
                onLoss.accept(loss);
            }
        }
        return accuracy(validation);
    }

    @Override public void close() { params.forEach(Tensor::close); }
}
