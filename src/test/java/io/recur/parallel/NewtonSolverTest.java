package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Newton's iterations on a trajectory reach the sequential trajectory, within T iterations. */
class NewtonSolverTest {
    private static final int BATCH = 2, INPUT = 3, HIDDEN = 3;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void everyMethodReachesTheSequentialTrajectory(Backend backend) {
        for (CellReference.Kind kind : CellReference.Kind.values())
            for (Method method : Method.values()) {
                Rand rand = Rand.fresh();
                CellReference ref = CellReference.random(kind, INPUT, HIDDEN, 1.0, rand);
                NewtonOptions options = tight(method);
                Run run = solve(backend, ref, rand, 37, options, null);
                String where = kind + " " + method.key() + " on " + backend.name() + rand.tag();
                assertTrue(run.solution.converged(), "not converged: residual " + run.solution.residual() + ", " + where);
                if (!method.damped()) assertTrue(run.solution.iterations() <= 37, "more than T iterations, " + where);
                assertClose(run.expected, run.states, 1e-5, where);
            }
    }

    /** Undamped Newton makes step t exact by iteration t + 1 (in exact arithmetic), whatever the Jacobian. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void undampedNewtonIsExactOnTheFirstKStepsAfterKIterations(Backend backend) {
        int length = 6;
        for (Method method : new Method[] {Method.DEER, Method.QUASI_DEER})
            for (int k = 1; k <= length; k++) {
                Rand rand = Rand.fresh();
                CellReference ref = CellReference.random(CellReference.Kind.GRU, INPUT, HIDDEN, 3.0, rand);
                Run run = solve(backend, ref, rand, length, NewtonOptions.of(method).withTolerance(0).withMaxIterations(k), null);
                String where = method.key() + " after " + k + " iterations on " + backend.name() + rand.tag();
                assertTrue(run.solution.iterations() <= k, where);
                int n = ref.stateSize();
                for (int b = 0; b < BATCH; b++)
                    for (int t = 0; t < Math.min(k, length); t++)
                        for (int i = 0; i < n; i++) {
                            int at = (b * length + t) * n + i;
                            assertEquals(run.expected[at], run.states[at], 1e-5, "step " + t + ", " + where);
                        }
            }
    }

    /** The iteration cap is T even when more are allowed, and a warm start at the answer stops after one iteration. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void iterationsNeverExceedTAndAWarmStartAtTheAnswerStopsAtOnce(Backend backend) {
        Rand rand = Rand.fresh();
        int length = 4;
        CellReference ref = CellReference.random(CellReference.Kind.LSTM, INPUT, HIDDEN, 4.0, rand);
        Problem problem = Problem.random(ref, rand, length);
        Run cold = solve(backend, ref, problem, NewtonOptions.of(Method.QUASI_DEER).withTolerance(0).withMaxIterations(1000), null);
        assertTrue(cold.solution.iterations() <= length, "ran " + cold.solution.iterations() + " > T iterations" + rand.tag());
        assertClose(cold.expected, cold.states, 1e-5, "quasi-deer after T iterations" + rand.tag());
        Run warm = solve(backend, ref, problem, NewtonOptions.of(Method.DEER).withTolerance(1e-5f), cold.expected);
        assertEquals(1, warm.solution.iterations(), "warm start" + rand.tag());
        assertTrue(warm.solution.converged());
    }

    /** Sequences of one and two steps, without an initial state (zeros). */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void shortSequencesWithoutInitialState(Backend backend) {
        for (Method method : Method.values())
            for (int length : new int[] {1, 2}) {
                Rand rand = Rand.fresh();
                CellReference ref = CellReference.random(CellReference.Kind.LSTM, INPUT, HIDDEN, 1.0, rand);
                D x = rand.normal(BATCH, length, INPUT);
                double[] expected = ref.sequential(x.data, null, BATCH, length);
                String where = method.key() + ", T = " + length + " on " + backend.name() + rand.tag();
                try (Scope s = Scope.open("test")) {
                    RecurrentCell cell = ref.cell(ref.tensors(backend));
                    Solution solution = NewtonSolver.solve(cell, cell.drive(x.toTensor(backend)), null, null,
                            tight(method));
                    assertTrue(solution.converged(), where);
                    assertClose(expected, D.of(solution.states()).data, 1e-5, where);
                }
            }
    }

    /**
     * Options that solve to float32's limits: damping 0.1; tolerance 1e-6 on the update, or 1.5e-6 on
     * the defect f(h_{t-1}) − h_t for the damped methods (its own rounding is a few 1e-7).
     */
    static NewtonOptions tight(Method method) {
        return NewtonOptions.of(method).withTolerance(method.damped() ? 1.5e-6f : 1e-6f).withDamping(0.1f);
    }

    record Run(double[] expected, double[] states, Solution solution) {}

    /** Inputs x (batch, T, input) and h0 (batch, n). */
    record Problem(D x, D h0, int length) {
        static Problem random(CellReference ref, Rand rand, int length) {
            return new Problem(rand.normal(BATCH, length, ref.input), rand.uniform(-1, 1, BATCH, ref.stateSize()), length);
        }
    }

    static Run solve(Backend backend, CellReference ref, Rand rand, int length, NewtonOptions options, double[] guess) {
        return solve(backend, ref, Problem.random(ref, rand, length), options, guess);
    }

    /** Solves ref's recurrence on backend; the reference's own sequential answer with it. */
    static Run solve(Backend backend, CellReference ref, Problem p, NewtonOptions options, double[] guess) {
        int n = ref.stateSize(), length = p.length, batch = p.x.shape[0];
        D x = p.x, h0 = p.h0;
        double[] expected = ref.sequential(x.data, h0.data, batch, length);
        long open = MemoryTracker.openTensors();
        Run run;
        try (Scope s = Scope.open("test")) {
            RecurrentCell cell = ref.cell(ref.tensors(backend));
            Tensor g = guess == null ? null : new D(guess, batch, length, n).toTensor(backend);
            Solution solution = NewtonSolver.solve(cell, cell.drive(x.toTensor(backend)), h0.toTensor(backend), g, options);
            run = new Run(expected, D.of(solution.states()).data, solution);
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
        return run;
    }

    static void assertClose(double[] expected, double[] actual, double tol, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol, "element " + i + ", " + where);
    }
}
