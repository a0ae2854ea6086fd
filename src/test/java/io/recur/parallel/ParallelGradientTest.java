package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.LSTM;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.nn.TorchRecurrent;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients through the implicit function theorem: a torch GRU/LSTM layer evaluated in parallel
 * gives the outputs and the gradients of backpropagation through time; a tanh cell's gradients match
 * float64 finite differences of the sequential recurrence.
 */
class ParallelGradientTest {
    private static final int BATCH = 2, STEPS = 9, INPUT = 3, HIDDEN = 3;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void layersMatchBackpropagationThroughTime(Backend backend) {
        for (boolean lstm : new boolean[] {false, true})
            for (Method method : Method.values()) {
                checkLayer(backend, lstm, method, false);
                if (method.jacobian() == JacobianKind.DIAGONAL) checkLayer(backend, lstm, method, true);
            }
    }

    private static void checkLayer(Backend backend, boolean lstm, Method method, boolean exactAdjoint) {
        Rand rand = Rand.fresh();
        long open = MemoryTracker.openTensors();
        Initializer init = new Initializer(backend, rand.nextLong());
        RecurrentConfig config = new RecurrentConfig(INPUT, HIDDEN, 1, true, true);
        try (TorchRecurrent layer = lstm ? new LSTM(init, config) : new GRU(init, config);
             ParallelEvaluation parallel = new ParallelEvaluation(NewtonSolverTest.tight(method)
                     .withExactAdjoint(exactAdjoint), false)) {
            D x = rand.normal(BATCH, STEPS, INPUT), outWeights = rand.normal(BATCH, STEPS, HIDDEN);
            List<D> initial = new ArrayList<>(), finalWeights = new ArrayList<>();
            for (int p = 0; p < layer.stateParts(); p++) {
                initial.add(rand.uniform(-1, 1, 1, BATCH, HIDDEN));
                finalWeights.add(rand.normal(1, BATCH, HIDDEN));
            }
            Map<String, D> sequential = gradients(layer, backend, x, initial, outWeights, finalWeights);
            layer.evaluation(parallel);
            Map<String, D> fast = gradients(layer, backend, x, initial, outWeights, finalWeights);
            String where = (lstm ? "LSTM " : "GRU ") + method.key() + (exactAdjoint ? " (exact adjoint)" : "") + " on " + backend.name() + rand.tag();
            assertTrue(parallel.diagnostics().getFirst().converged(), "not converged, " + where);
            // the quasi methods' own gradients are approximate (diagonal adjoint): only their forward is compared
            boolean exact = parallel.options().adjointJacobian() == JacobianKind.FULL;
            for (Map.Entry<String, D> e : sequential.entrySet()) {
                if (!exact && !e.getKey().startsWith("value")) continue;
                NewtonSolverTest.assertClose(e.getValue().data, fast.get(e.getKey()).data, 5e-5, e.getKey() + ", " + where);
            }
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
    }

    /** Σ out·w + Σ final·v, then the values and the gradients of the weights, x and the initial state. */
    private static Map<String, D> gradients(TorchRecurrent layer, Backend backend, D x, List<D> initial, D outWeights, List<D> finalWeights) {
        Map<String, D> out = new LinkedHashMap<>();
        try (Scope s = Scope.open("pass")) {
            Tensor xt = x.toTensor(backend).requiresGrad(true);
            List<Tensor> parts = new ArrayList<>();
            for (D d : initial) parts.add(d.toTensor(backend).requiresGrad(true));
            SequenceOutput o = layer.forward(xt, new RecurrentState(parts));
            Tensor loss = Reduce.sum(Arith.mul(o.output(), outWeights.toTensor(backend)));
            for (int p = 0; p < parts.size(); p++)
                loss = Arith.add(loss, Reduce.sum(Arith.mul(o.state().part(p), finalWeights.get(p).toTensor(backend))));
            out.put("value", D.of(o.output()));
            Tape.backward(loss);
            out.put("dx", D.of(xt.grad()));
            for (int p = 0; p < parts.size(); p++) out.put("d state " + p, D.of(parts.get(p).grad()));
            for (Map.Entry<String, Tensor> e : layer.namedParameters().entrySet()) out.put("d " + e.getKey(), D.of(e.getValue().grad()));
            xt.zeroGrad();
            parts.forEach(Tensor::zeroGrad);
            layer.zeroGrad();
        } finally {
            Tape.clear();
        }
        return out;
    }

    /**
     * Every method's gradients against float64 finite differences, on a tanh cell; for the quasi
     * methods with a diagonal W_hh, where diag J is all of J and their adjoint is exact too.
     */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void tanhCellGradientsMatchFiniteDifferences(Backend backend) {
        for (Method method : Method.values()) {
            Rand rand = Rand.fresh();
            int length = 7, input = 2, hidden = 3;
            CellReference ref = CellReference.random(CellReference.Kind.ELMAN, input, hidden, 2.0, rand);
            if (method.jacobian() == JacobianKind.DIAGONAL)
                for (int i = 0; i < hidden; i++) for (int k = 0; k < hidden; k++) if (i != k) ref.weightHh[i * hidden + k] = 0;
            D x = rand.normal(BATCH, length, input), h0 = rand.uniform(-1, 1, BATCH, hidden), w = rand.normal(BATCH, length, hidden);
            String where = method.key() + " on " + backend.name() + rand.tag();
            List<double[]> leaves = new ArrayList<>(List.of(ref.weightIh, ref.weightHh, ref.biasIh, ref.biasHh, x.data, h0.data));
            try (Scope s = Scope.open("test")) {
                Tensor[] weights = ref.tensors(backend);
                for (Tensor t : weights) t.requiresGrad(true);
                Tensor xt = x.toTensor(backend).requiresGrad(true), h0t = h0.toTensor(backend).requiresGrad(true);
                ParallelRecurrence.Result r = ParallelRecurrence.run(ref.cell(weights), xt, h0t, null,
                        NewtonSolverTest.tight(method));
                assertTrue(r.solution().converged(), "not converged, " + where);
                Tape.backward(Reduce.sum(Arith.mul(r.states(), w.toTensor(backend))));
                Tensor[] grads = {weights[0].grad(), weights[1].grad(), weights[2].grad(), weights[3].grad(), xt.grad(), h0t.grad()};
                for (int l = 0; l < leaves.size(); l++) {
                    double[] values = leaves.get(l), got = D.of(grads[l]).data;
                    for (int i = 0; i < values.length; i++) {
                        double keep = values[i], eps = 1e-6;
                        values[i] = keep + eps;
                        double plus = new D(ref.sequential(x.data, h0.data, BATCH, length), BATCH, length, hidden).dot(w);
                        values[i] = keep - eps;
                        double minus = new D(ref.sequential(x.data, h0.data, BATCH, length), BATCH, length, hidden).dot(w);
                        values[i] = keep;
                        double expected = (plus - minus) / (2 * eps);
                        assertEquals(expected, got[i], 1e-4 * Math.max(1, Math.abs(expected)), "gradient of leaf " + l + " element " + i + ", " + where);
                    }
                }
            } finally {
                Tape.clear();
            }
        }
    }
}
