package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.GradCheck;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cells evaluated in parallel over time: values against float64 steps, Jacobians and their gradients against central differences. */
class CellJacobianTest {
    private static final int BATCH = 2, STEPS = 5, INPUT = 3, HIDDEN = 4;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void valuesAndJacobiansMatchTheReference(Backend backend) {
        for (CellReference.Kind kind : CellReference.Kind.values()) check(backend, kind);
    }

    /**
     * The full Jacobian is differentiable, as the RecurrentCell contract says: gradients of Σ J ⊙ R
     * (R random) to weight_hh and to the previous states from the tape, against central differences
     * of the float64 reference's Jacobians.
     */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void fullJacobiansCarryGradients(Backend backend) {
        for (CellReference.Kind kind : CellReference.Kind.values()) checkGradients(backend, kind);
    }

    private static void checkGradients(Backend backend, CellReference.Kind kind) {
        Rand rand = Rand.fresh();
        CellReference ref = CellReference.random(kind, INPUT, HIDDEN, 2.0, rand);
        int n = ref.stateSize(), steps = BATCH * STEPS;
        D prev = rand.uniform(-1.5, 1.5, BATCH, STEPS, n), x = rand.normal(BATCH, STEPS, INPUT), r = rand.normal(BATCH, STEPS, n, n);
        String where = kind + " on " + backend.name() + rand.tag();
        long open = MemoryTracker.openTensors();
        try (Scope s = Scope.open("test")) {
            Tensor[] w = ref.tensors(backend);
            w[1].requiresGrad(true);
            Tensor prevT = prev.toTensor(backend).requiresGrad(true);
            RecurrentCell cell = ref.cell(w);
            Tensor j = cell.linearize(prevT, cell.drive(x.toTensor(backend)), JacobianKind.FULL).jacobian();
            Tape.backward(Reduce.sum(Arith.mul(j, r.toTensor(backend))));
            double[] byWeight = new double[ref.weightHh.length], byPrev = new double[prev.data.length];
            for (int k = 0; k < byWeight.length; k++) byWeight[k] = difference(ref.weightHh, k, () -> weighted(ref, prev.data, x.data, r.data, steps));
            for (int k = 0; k < byPrev.length; k++) byPrev[k] = difference(prev.data, k, () -> weighted(ref, prev.data, x.data, r.data, steps));
            GradCheck.Comparison weight = GradCheck.compare(w[1].grad().toFloatArray(), byWeight, 1e-2);
            GradCheck.Comparison state = GradCheck.compare(prevT.grad().toFloatArray(), byPrev, 1e-2);
            assertTrue(weight.within(2e-3), "d/d weight_hh of Σ J ⊙ R, " + where + ": " + weight);
            assertTrue(state.within(2e-3), "d/d prev of Σ J ⊙ R, " + where + ": " + state);
        } finally {
            Tape.clear();
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
    }

    /** Σ_t J_t ⊙ R_t from the float64 reference. */
    private static double weighted(CellReference ref, double[] prev, double[] x, double[] r, int steps) {
        int n = ref.stateSize();
        double sum = 0;
        for (int bt = 0; bt < steps; bt++) {
            double[] jr = ref.jacobian(CellReference.slice(prev, bt * n, n), CellReference.slice(x, bt * INPUT, INPUT));
            for (int e = 0; e < n * n; e++) sum += jr[e] * r[bt * n * n + e];
        }
        return sum;
    }

    /** Central difference of f in values[k] (restored afterwards). */
    private static double difference(double[] values, int k, java.util.function.DoubleSupplier f) {
        double h = 1e-4, saved = values[k];
        values[k] = saved + h;
        double plus = f.getAsDouble();
        values[k] = saved - h;
        double minus = f.getAsDouble();
        values[k] = saved;
        return (plus - minus) / (2 * h);
    }

    private static void check(Backend backend, CellReference.Kind kind) {
        Rand rand = Rand.fresh();
        CellReference ref = CellReference.random(kind, INPUT, HIDDEN, 2.0, rand);
        int n = ref.stateSize();
        D prev = rand.uniform(-1.5, 1.5, BATCH, STEPS, n), x = rand.normal(BATCH, STEPS, INPUT);
        long open = MemoryTracker.openTensors();
        try (Scope s = Scope.open("test")) {
            RecurrentCell cell = ref.cell(ref.tensors(backend));
            assertEquals(n, cell.stateSize());
            Tensor drive = cell.drive(x.toTensor(backend));
            Linearization full = cell.linearize(prev.toTensor(backend), drive, JacobianKind.FULL);
            Linearization diagonal = cell.linearize(prev.toTensor(backend), drive, JacobianKind.DIAGONAL);
            Linearization plain = cell.linearize(prev.toTensor(backend), drive, JacobianKind.NONE);
            assertEquals(null, plain.jacobian());
            float[] value = full.value().toFloatArray(), plainValue = plain.value().toFloatArray();
            float[] j = full.jacobian().toFloatArray(), diag = diagonal.jacobian().toFloatArray();
            assertEquals(BATCH * STEPS * n * n, j.length);
            assertEquals(BATCH * STEPS * n, diag.length);
            String where = kind + " on " + backend.name() + rand.tag();
            for (int bt = 0; bt < BATCH * STEPS; bt++) {
                double[] state = CellReference.slice(prev.data, bt * n, n), in = CellReference.slice(x.data, bt * INPUT, INPUT);
                double[] f = ref.step(state, in), jr = ref.jacobian(state, in);
                for (int i = 0; i < n; i++) {
                    assertEquals(f[i], value[bt * n + i], 2e-6, "f " + where);
                    assertEquals(f[i], plainValue[bt * n + i], 2e-6, "f without Jacobian " + where);
                    assertEquals(jr[i * n + i], diag[bt * n + i], 1e-5, "diagonal " + i + " " + where);
                    for (int k = 0; k < n; k++)
                        assertEquals(jr[i * n + k], j[(bt * n + i) * n + k], 1e-5, "J[" + i + "][" + k + "] " + where);
                }
            }
        }
        assertEquals(open, MemoryTracker.openTensors(), "leak");
    }
}
