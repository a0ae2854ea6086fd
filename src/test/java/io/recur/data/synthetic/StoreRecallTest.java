package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Inputs;
import io.recur.data.RandomStream;
import io.recur.data.Targets;
import org.junit.jupiter.api.Test;

class StoreRecallTest {
    private static final int W = StoreRecall.CHANNELS;

    private static int spikes(float[] x, int group, int start, int end) {
        int n = 0;
        for (int t = start; t < end; t++) for (int ch = group; ch < group + 10; ch++) n += x[t * W + ch] != 0f ? 1 : 0;
        return n;
    }

    private static void check(StoreRecall task, int examples) {
        int ones = 0;
        for (int i = 0; i < examples; i++) {
            var e = task.generate(new RandomStream(5, 0, i));
            float[] x = ((Inputs.Features) e.inputs()).values();
            int[] labels = ((Targets.Classes) e.targets()).labels();
            int store = -1, recall = -1, bitAtStore = -1;
            for (int w = 0; w < StoreRecall.WINDOWS; w++) {
                int s = task.windowStart(w), end = task.windowEnd(w);
                int zero = spikes(x, StoreRecall.VALUE_0, s, end), one = spikes(x, StoreRecall.VALUE_1, s, end);
                assertTrue((zero > 0) != (one > 0), "one value group fires in window " + w);
                if (spikes(x, StoreRecall.STORE, s, end) > 0) { assertEquals(-1, store, "one store"); store = w; bitAtStore = one > 0 ? 1 : 0; }
                if (spikes(x, StoreRecall.RECALL, s, end) > 0) { assertEquals(-1, recall, "one recall"); recall = w; }
            }
            assertTrue(store >= 0 && store < StoreRecall.WINDOWS / 2, "store in the first half, got window " + store);
            assertTrue(recall > store, "recall after store");
            int scoredAt = task.windowEnd(recall) - 1;
            for (int t = 0; t < task.length(); t++)
                if (t != scoredAt) assertEquals(Targets.IGNORE, labels[t], "only the end of the recall window is scored");
            assertEquals(bitAtStore, labels[scoredAt], "the label is the stored bit");
            ones += bitAtStore;
        }
        assertTrue(ones > examples / 4 && ones < 3 * examples / 4, "both bits occur: " + ones + " of " + examples);
    }

    @Test
    void theLabelIsTheBitShownDuringTheStoreCommand() {
        check(StoreRecall.standard(), 40);
        check(new StoreRecall(60), 200);
    }

    @Test
    void tooShortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StoreRecall(5));
    }
}
