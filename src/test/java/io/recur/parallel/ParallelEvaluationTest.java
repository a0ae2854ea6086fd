package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.LSTM;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.TorchRecurrent;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Stacked torch layers evaluated in parallel: the sequential outputs, warm starts, and what is refused. */
class ParallelEvaluationTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void twoLayerStacksMatchAndAWarmStartFinishesAtOnce(Backend backend) {
        for (boolean lstm : new boolean[] {false, true}) {
            Rand rand = Rand.fresh();
            long open = MemoryTracker.openTensors();
            RecurrentConfig config = new RecurrentConfig(3, 4, 2, true, false);   // time-major, like torch's default
            Initializer init = new Initializer(backend, rand.nextLong());
            try (TorchRecurrent layer = lstm ? new LSTM(init, config) : new GRU(init, config);
                 ParallelEvaluation parallel = new ParallelEvaluation(NewtonOptions.of(Method.DEER).withTolerance(1e-6f), true);
                 Tape.NoGrad off = Tape.noGrad()) {
                D x = rand.normal(11, 2, 3);
                String where = (lstm ? "LSTM" : "GRU") + " on " + backend.name() + rand.tag();
                try (Scope s = Scope.open("test")) {
                    Tensor xt = x.toTensor(backend);
                    var sequential = layer.forward(xt, null);
                    layer.evaluation(parallel);
                    var first = layer.forward(xt, null);
                    NewtonSolverTest.assertClose(D.of(sequential.output()).data, D.of(first.output()).data, 1e-5, "outputs, " + where);
                    for (int p = 0; p < layer.stateParts(); p++)
                        NewtonSolverTest.assertClose(D.of(sequential.state().part(p)).data, D.of(first.state().part(p)).data, 1e-5, "state " + p + ", " + where);
                    assertEquals(2, parallel.diagnostics().size(), "one solve per layer");
                    parallel.clearDiagnostics();
                    var again = layer.forward(xt, null);
                    NewtonSolverTest.assertClose(D.of(sequential.output()).data, D.of(again.output()).data, 1e-5, "warm outputs, " + where);
                    for (Solution solution : parallel.diagnostics())
                        assertEquals(1, solution.iterations(), "a warm start at the answer, " + where);
                    assertEquals(4, parallel.statistics().solves());
                    assertTrue(parallel.statistics().summary().startsWith("4 solves") && parallel.statistics().summary().endsWith("all converged"),
                            parallel.statistics().summary());
                    layer.evaluation(null);
                }
            }
            assertEquals(open, MemoryTracker.openTensors(), "leak (warm starts must be released by close)");
        }
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void fullJacobiansAreRefusedForLargeStates(Backend backend) {
        Rand rand = Rand.fresh();
        try (LSTM lstm = new LSTM(new Initializer(backend, rand.nextLong()), new RecurrentConfig(2, 17, 1, true, true));
             ParallelEvaluation parallel = new ParallelEvaluation(NewtonOptions.of(Method.DEER), false);
             Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            lstm.evaluation(parallel);
            Tensor x = rand.normal(1, 3, 2).toTensor(backend);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, null));
            assertTrue(e.getMessage().contains("at most 32, got 34") && e.getMessage().contains("quasi-deer"), e.getMessage());
        }
    }
}
