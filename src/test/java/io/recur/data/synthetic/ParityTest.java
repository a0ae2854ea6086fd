package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Inputs;
import io.recur.data.RandomStream;
import io.recur.data.Targets;
import org.junit.jupiter.api.Test;

class ParityTest {
    @Test
    void theTargetIsTheXorOfTheBitsAtTheLastPosition() {
        Parity task = new Parity(9);
        int ones = 0;
        for (int i = 0; i < 300; i++) {
            var e = task.generate(new RandomStream(8, 0, i));
            int[] x = ((Inputs.Tokens) e.inputs()).ids(), y = ((Targets.Classes) e.targets()).labels();
            int xor = 0;
            for (int b : x) {
                assertTrue(b == 0 || b == 1, "bit " + b);
                xor ^= b;
            }
            assertEquals(xor, y[8]);
            for (int t = 0; t < 8; t++) assertEquals(Targets.IGNORE, y[t]);
            ones += xor;
        }
        assertTrue(ones > 100 && ones < 200, "odd parity in " + ones + " of 300");
    }

    @Test
    void emptySequencesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Parity(0));
    }
}
