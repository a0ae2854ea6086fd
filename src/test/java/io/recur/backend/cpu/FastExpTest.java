package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastExpTest {
    @Test
    void withinOneUlpOfDoubleExpOverTheNormalRange() {
        SplittableRandom random = new SplittableRandom();
        float[] x = new float[100_000], out = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-87.3, 88.37);
        x[0] = 0f;
        x[1] = -0f;
        x[2] = (float) Math.log(2);
        FastExp.expScaled(x, 1f, out, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(out[i] - exact) / exact);
        }
        assertTrue(worst < 1.2e-7, "largest relative error " + worst);
        assertEquals(1f, out[0]);
        assertEquals(1f, out[1]);
    }

    @Test
    void scalesItsInputAndKeepsTheEdgesFinite() {
        float[] x = {0.5f, -2f, 1e-3f}, out = new float[3];
        FastExp.expScaled(x, -3f, out, 3);
        for (int i = 0; i < 3; i++) assertEquals(Math.exp(-3.0 * x[i]), out[i], 1.2e-7 * Math.exp(-3.0 * x[i]));
        assertTrue(FastExp.exp(-1000f) >= 0 && FastExp.exp(-1000f) < 1.2e-38);
        assertTrue(Float.isFinite(FastExp.exp(1000f)) && FastExp.exp(1000f) > 2e38);
        assertTrue(Float.isNaN(FastExp.exp(Float.NaN)));
    }
}
