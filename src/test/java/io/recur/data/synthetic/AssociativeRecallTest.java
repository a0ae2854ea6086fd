package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.RandomStream;
import io.recur.data.Targets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssociativeRecallTest {
    @Test
    void defaultsAreZoologys() {
        AssociativeRecall z = AssociativeRecall.zoology();
        assertEquals(64, z.length());
        assertEquals(8192, z.vocab());
        assertEquals(8, z.pairs());
        assertEquals(0.01, z.powerA());
        for (int i = 0; i < 20; i++) assertInvariants(z, z.generate(new RandomStream(4, 0, i)));
    }

    @Test
    void everyKeyIsQueriedOnceAndAnsweredWithItsValue() {
        for (boolean filler : new boolean[] {true, false}) {
            AssociativeRecall task = new AssociativeRecall(40, 32, 6, 0.01, filler);
            for (int i = 0; i < 200; i++) assertInvariants(task, task.generate(new RandomStream(5, 0, i)));
        }
    }

    @Test
    void gapsFollowZoologysPowerLaw() {
        // numpy's choice(60, size=4, replace=False, p ∝ (g+1)^(a-1)) averages 13.3 for a = 0.01 and 29.9 for a = 1 (uniform)
        assertEquals(13.3, meanGap(0.01), 2.0, "a = 0.01 keeps queries near the context");
        assertEquals(29.9, meanGap(1.0), 2.0, "a = 1 spreads them evenly");
    }

    @Test
    void settingsThatCannotWorkAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AssociativeRecall(31, 8192, 8, 0.01, true));
        assertTrue(e.getMessage().contains("length >= 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AssociativeRecall(64, 16, 8, 0.01, true), "too few distinct keys");
        assertThrows(IllegalArgumentException.class, () -> new AssociativeRecall(64, 64, 8, 0, true), "exponent");
    }

    private static double meanGap(double a) {
        AssociativeRecall task = new AssociativeRecall(128, 64, 4, a, false);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 200; i++) {
            int[] y = ((Targets.Classes) task.generate(new RandomStream(6, 0, i)).targets()).labels();
            for (int t = 0; t < y.length; t++) if (y[t] != Targets.IGNORE) { sum += (t - 8) / 2.0; n++; }
        }
        return sum / n;
    }

    private static void assertInvariants(AssociativeRecall task, Example e) {
        int[] x = ((Inputs.Tokens) e.inputs()).ids(), y = ((Targets.Classes) e.targets()).labels();
        int half = task.vocab() / 2, context = 2 * task.pairs();
        Map<Integer, Integer> valueOf = new HashMap<>();
        for (int i = 0; i < task.pairs(); i++) {
            int k = x[2 * i], v = x[2 * i + 1];
            assertTrue(k >= 1 && k < half, "key " + k);
            assertTrue(v >= half && v < task.vocab(), "value " + v);
            assertEquals(null, valueOf.put(k, v), "key " + k + " twice");
            assertEquals(Targets.IGNORE, y[2 * i]);
            assertEquals(Targets.IGNORE, y[2 * i + 1]);
        }
        assertEquals(task.pairs(), valueOf.values().stream().distinct().count(), "values are distinct");
        Map<Integer, Integer> queried = new HashMap<>();
        for (int t = context; t < task.length(); t++) {
            if (y[t] == Targets.IGNORE) {
                if (!task.randomFiller()) assertEquals(0, x[t], "filler without random tokens");
                continue;
            }
            assertEquals(0, (t - context) % 2, "queries sit at even offsets");
            assertEquals(valueOf.get(x[t]), y[t], "the answer to key " + x[t]);
            queried.merge(x[t], 1, Integer::sum);
        }
        assertEquals(valueOf.keySet(), queried.keySet(), "every key is queried");
        assertTrue(queried.values().stream().allMatch(c -> c == 1), "once each: " + queried);
    }
}
