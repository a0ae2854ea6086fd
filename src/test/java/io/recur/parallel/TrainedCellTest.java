package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.LSTM;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.TorchRecurrent;
import io.recur.ops.Loss;
import io.recur.ops.Shapes;
import io.recur.optim.AdamW;
import io.recur.optim.ParameterGroup;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parallel evaluation of trained layers equals step-by-step evaluation. Training to integrate the
 * input over time gives the recurrent weights the long memory (Jacobians near the unit circle)
 * that random initial weights lack and that makes Newton's method on the trajectory work hardest.
 */
class TrainedCellTest {
    private static final int INPUT = 2, HIDDEN = 5, BATCH = 8, TRAIN_LENGTH = 24, TRAIN_STEPS = 100, LENGTH = 60;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void trainedLayersEvaluateInParallelAsStepByStep(Backend backend) {
        for (boolean lstm : new boolean[] {false, true}) {
            Rand rand = Rand.fresh();
            Map<String, D> weights = train(lstm, rand);
            D x = rand.normal(2, LENGTH, INPUT);
            double[] exact = exactOutputs(lstm, weights, x);
            for (Method method : Method.values()) {
                String where = (lstm ? "trained LSTM " : "trained GRU ") + method.key() + " on " + backend.name() + rand.tag();
                long open = MemoryTracker.openTensors();
                try (TorchRecurrent layer = layer(lstm, new Initializer(backend, 0));
                     ParallelEvaluation parallel = new ParallelEvaluation(options(method), false);
                     Tape.NoGrad off = Tape.noGrad(); Scope s = Scope.open("test")) {
                    Map<String, Tensor> state = new LinkedHashMap<>();
                    weights.forEach((name, w) -> state.put(name, w.toTensor(backend)));
                    layer.loadStateDict(state);
                    Tensor xt = x.toTensor(backend);
                    D sequential = D.of(layer.forward(xt, null).output());
                    layer.evaluation(parallel);
                    D fast = D.of(layer.forward(xt, null).output());
                    Solution solution = parallel.diagnostics().getFirst();
                    assertTrue(solution.converged(), "not converged after " + solution.iterations() + " iterations (residual " + solution.residual() + "), " + where);
                    double sequentialError = D.maxAbsDifference(exact, sequential.data), parallelError = D.maxAbsDifference(exact, fast.data);
                    assertTrue(sequentialError < 1e-5, "float32 step by step is off the float64 trajectory by " + sequentialError + ", " + where);
                    assertTrue(parallelError < 1e-5, "off the float64 trajectory by " + parallelError + " (step by step: " + sequentialError + "), " + where);
                    NewtonSolverTest.assertClose(sequential.data, fast.data, 1e-5, where);
                }
                assertEquals(open, MemoryTracker.openTensors(), "leak, " + where);
            }
        }
    }

    /**
     * Tight tolerances, and the default light damping (the ELK paper's σ² = 1e6): a
     * Levenberg–Marquardt step shrinks the error along a direction where I − shift·J has singular
     * value s by λ / (s² + λ) only, and a long memory makes s small (at λ = 0.1, ELK was still at a
     * defect of 8e-5 after 300 iterations where DEER needed 6).
     */
    private static NewtonOptions options(Method method) {
        NewtonOptions tight = NewtonSolverTest.tight(method).withMaxIterations(300);
        return method.damped() ? tight.withDamping(NewtonOptions.of(method).damping()) : tight;
    }

    /** The layer's outputs h_t in float64, step by step. */
    private static double[] exactOutputs(boolean lstm, Map<String, D> w, D x) {
        CellReference.Kind kind = lstm ? CellReference.Kind.LSTM : CellReference.Kind.GRU;
        CellReference cell = CellReference.of(kind, INPUT, HIDDEN, w.get("weight_ih_l0").data, w.get("weight_hh_l0").data,
                w.get("bias_ih_l0").data, w.get("bias_hh_l0").data);
        int batch = x.shape[0], n = cell.stateSize();
        double[] states = cell.sequential(x.data, null, batch, LENGTH), out = new double[batch * LENGTH * HIDDEN];
        for (int row = 0; row < batch * LENGTH; row++) System.arraycopy(states, row * n, out, row * HIDDEN, HIDDEN);
        return out;
    }

    private static TorchRecurrent layer(boolean lstm, Initializer init) {
        RecurrentConfig config = new RecurrentConfig(INPUT, HIDDEN, 1, true, true);
        return lstm ? new LSTM(init, config) : new GRU(init, config);
    }

    /**
     * Trains a layer on the CPU, step by step, so that its first output follows a leaky running sum
     * of the first input, tanh(0.3 Σ_{s≤t} 0.97^{t-s} x_s); returns its weights after checking that
     * the loss (the mean of the last ten steps) fell below 0.7 of the first step's.
     */
    private static Map<String, D> train(boolean lstm, Rand rand) {
        Backend cpu = Backends.cpu();
        try (TorchRecurrent layer = layer(lstm, new Initializer(cpu, rand.nextLong()));
             AdamW adam = new AdamW(ParameterGroup.of(layer.parameters()), AdamW.Settings.defaults())) {
            double first = Double.NaN, last = 0;
            for (int step = 0; step < TRAIN_STEPS; step++) {
                D x = rand.normal(BATCH, TRAIN_LENGTH, INPUT), y = D.zeros(BATCH, TRAIN_LENGTH, 1);
                for (int b = 0; b < BATCH; b++) {
                    double sum = 0;
                    for (int t = 0; t < TRAIN_LENGTH; t++) {
                        sum = 0.97 * sum + x.data[(b * TRAIN_LENGTH + t) * INPUT];
                        y.data[b * TRAIN_LENGTH + t] = Math.tanh(0.3 * sum);
                    }
                }
                try (Scope s = Scope.open("train step")) {
                    Tensor out = Shapes.slice(layer.forward(x.toTensor(cpu), null).output(), -1, 0, 1);
                    Tensor loss = Loss.mse(out, y.toTensor(cpu));
                    double value = loss.item();
                    if (step == 0) first = value;
                    if (step >= TRAIN_STEPS - 10) last += value / 10;
                    Tape.backward(loss);
                    adam.step(0.03);
                    layer.zeroGrad();
                } finally {
                    Tape.clear();
                }
            }
            assertTrue(last < 0.7 * first, (lstm ? "LSTM" : "GRU") + " did not learn: loss " + first + " -> " + last + rand.tag());
            Map<String, D> weights = new LinkedHashMap<>();
            layer.namedParameters().forEach((name, w) -> weights.put(name, D.of(w)));
            return weights;
        }
    }
}
