package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cells evaluated in parallel over time: values against float64 steps, Jacobians against central differences. */
class CellJacobianTest {
    private static final int BATCH = 2, STEPS = 5, INPUT = 3, HIDDEN = 4;

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void valuesAndJacobiansMatchTheReference(Backend backend) {
        for (CellReference.Kind kind : CellReference.Kind.values()) check(backend, kind);
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
