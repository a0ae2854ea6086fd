package io.recur.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClippingAndScheduleTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void clipsToTheGlobalNormOfAllGradients(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D g1 = f.rand.normal(4, 3), g2 = f.rand.normal(5);
            Tensor p1 = f.view(f.rand.normal(4, 3)).requiresGrad(true), p2 = f.view(f.rand.normal(5)).requiresGrad(true);
            Tensor noGrad = f.view(f.rand.normal(2)).requiresGrad(true);
            p1.setGrad(f.view(g1));
            p2.setGrad(f.view(g2));
            double sq = 0;
            for (double v : g1.data) sq += v * v;
            for (double v : g2.data) sq += v * v;
            double norm = Math.sqrt(sq), max = norm / 3;
            assertEquals(norm, GradientClipping.clipGlobalNorm(List.of(p1, p2, noGrad), max), 1e-5 * norm);
            double scale = max / (norm + 1e-6);
            f.assertClose(scaled(g1, scale), p1.grad(), 1e-5, 1e-7, "clipped gradient 1");
            f.assertClose(scaled(g2, scale), p2.grad(), 1e-5, 1e-7, "clipped gradient 2");
            // below the limit nothing changes
            assertEquals(max, GradientClipping.clipGlobalNorm(List.of(p1, p2), 10 * norm), 1e-5 * norm);
            f.assertClose(scaled(g1, scale), p1.grad(), 1e-5, 1e-7, "gradient under the limit");
        }
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void aNonFiniteNormIsReportedAndNothingIsScaled(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            Tensor p = f.view(f.rand.normal(3)).requiresGrad(true);
            p.setGrad(f.view(new double[] {1, Double.NaN, 2}, 3));
            assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(List.of(p), 1)));
            assertEquals(1f, p.grad().toFloatArray()[0]);
        }
    }

    private static D scaled(D d, double s) {
        D out = D.zeros(d.shape);
        for (int i = 0; i < d.size(); i++) out.data[i] = d.data[i] * s;
        return out;
    }

    @Test
    void warmupThenCosineDecay() {
        var s = new LrSchedule.WarmupCosine(1.0, 4, 14, 0.1);
        assertEquals(0.25, s.at(0), 1e-12);
        assertEquals(1.0, s.at(3), 1e-12);
        assertEquals(1.0, s.at(4), 1e-12);          // the peak, then down
        assertEquals(0.55, s.at(9), 1e-12);         // half way: (peak + minimum) / 2
        assertEquals(0.1, s.at(14), 1e-12);
        assertEquals(0.1, s.at(100), 1e-12);
        for (int t = 4; t < 14; t++) assertTrue(s.at(t + 1) < s.at(t), "not decreasing at " + t);
        assertEquals(0.3, new LrSchedule.Constant(0.3).at(1000));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule.WarmupCosine(1, 20, 10, 0));
    }
}
