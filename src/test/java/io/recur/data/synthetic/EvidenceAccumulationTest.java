package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Inputs;
import io.recur.data.RandomStream;
import io.recur.data.Targets;
import org.junit.jupiter.api.Test;

class EvidenceAccumulationTest {
    private static final int W = EvidenceAccumulation.CHANNELS;

    private static int spikes(float[] x, int from, int to, int start, int end) {
        int n = 0;
        for (int t = start; t < end; t++) for (int ch = from; ch < to; ch++) n += x[t * W + ch] != 0f ? 1 : 0;
        return n;
    }

    /** Reads each cue's side back from the spikes and checks the label is the majority, scored at the end only. */
    private static void checkLabels(EvidenceAccumulation task, int examples, boolean everyCueSpikes) {
        int rightLabels = 0;
        for (int i = 0; i < examples; i++) {
            var e = task.generate(new RandomStream(11, 0, i));
            float[] x = ((Inputs.Features) e.inputs()).values();
            int[] labels = ((Targets.Classes) e.targets()).labels();
            int length = task.length(), left = 0, right = 0;
            for (int c = 0; c < EvidenceAccumulation.CUES; c++) {
                int s = task.cueStart(c), end = s + task.cueSteps();
                int l = spikes(x, EvidenceAccumulation.LEFT, EvidenceAccumulation.LEFT + 10, s, end);
                int r = spikes(x, EvidenceAccumulation.RIGHT, EvidenceAccumulation.RIGHT + 10, s, end);
                assertTrue(l == 0 || r == 0, "a cue drives one side only");
                if (everyCueSpikes) assertTrue(l + r > 0, "cue " + c + " of example " + i + " has no spikes");
                if (l > 0) left++;
                if (r > 0) right++;
            }
            int cued = spikes(x, 0, 2 * 10, task.cueStart(EvidenceAccumulation.CUES - 1) + task.cueSteps(), length);
            assertEquals(0, cued, "no cue spikes after the last cue");
            assertEquals(0, spikes(x, EvidenceAccumulation.RECALL, EvidenceAccumulation.RECALL + 10, 0, length - task.recallSteps()), "recall cue only at the end");
            for (float v : x) assertTrue(v == 0f || v == 1f);
            for (int t = 0; t < length - 1; t++) assertEquals(Targets.IGNORE, labels[t], "only the last step is scored");
            if (everyCueSpikes) {
                assertEquals(7, left + right);
                assertEquals(right > left ? 1 : 0, labels[length - 1], "label of example " + i);
            } else {
                // with tiny windows some cues may stay silent: the label can only disagree with the visible majority then
                if (left + right == 7) assertEquals(right > left ? 1 : 0, labels[length - 1]);
            }
            rightLabels += labels[length - 1];
        }
        assertTrue(rightLabels > examples / 4 && rightLabels < 3 * examples / 4, "both labels occur: " + rightLabels + " of " + examples);
    }

    @Test
    void thePapersTrialHasSevenVisibleCuesAndTheMajorityAsLabel() {
        EvidenceAccumulation task = EvidenceAccumulation.paper();
        assertEquals(100, task.cueSteps());
        assertEquals(50, task.gapSteps());
        assertEquals(150, task.recallSteps());
        checkLabels(task, 40, true);
    }

    @Test
    void shorterTrialsKeepTheLayoutWithLongerSteps() {
        EvidenceAccumulation task = new EvidenceAccumulation(225); // 10 ms steps: cues of 10 steps at p = 0.4
        assertEquals(10, task.cueSteps());
        assertEquals(5, task.gapSteps());
        assertEquals(15, task.recallSteps());
        checkLabels(task, 200, true);
        checkLabels(new EvidenceAccumulation(EvidenceAccumulation.minimumLength()), 200, false);
    }

    @Test
    void noiseFiresAtAboutTenHertz() {
        EvidenceAccumulation task = EvidenceAccumulation.paper();
        long n = 0;
        for (int i = 0; i < 10; i++) {
            float[] x = ((Inputs.Features) task.generate(new RandomStream(3, 0, i)).inputs()).values();
            n += spikes(x, EvidenceAccumulation.NOISE, W, 0, task.length());
        }
        double hz = n / (10.0 * 10 * 2.25);
        assertEquals(10, hz, 1.0, "background rate");
    }

    @Test
    void tooShortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EvidenceAccumulation(EvidenceAccumulation.minimumLength() - 1));
    }
}
