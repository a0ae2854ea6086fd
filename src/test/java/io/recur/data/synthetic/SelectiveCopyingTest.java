package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.Targets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectiveCopyingTest {
    @Test
    void defaultsAreTheMambaPapersSetting() {
        SelectiveCopying paper = SelectiveCopying.mambaPaper();
        assertEquals(4096, paper.length());
        assertEquals(16, paper.vocab());
        assertEquals(16, paper.count());
        assertEquals(Metric.TOKEN_ACCURACY, paper.spec().metric());
        assertInvariants(paper, paper.generate(new RandomStream(0, 0, 0)));
    }

    @Test
    void theMarkersAskForTheDataTokensInOrderAndNothingElseIsScored() {
        SelectiveCopying task = new SelectiveCopying(30, 6, 5);
        for (int i = 0; i < 200; i++) assertInvariants(task, task.generate(new RandomStream(1, 0, i)));
    }

    @Test
    void dataTokensMoveFromExampleToExample() {
        SelectiveCopying task = new SelectiveCopying(64, 16, 4);
        Set<List<Integer>> placements = new HashSet<>();
        for (int i = 0; i < 50; i++) placements.add(dataPositions(task, task.generate(new RandomStream(2, 0, i))));
        assertTrue(placements.size() > 40, "only " + placements.size() + " placements in 50 examples: the copying is not selective");
    }

    @Test
    void settingsThatCannotWorkAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SelectiveCopying(31, 16, 16));
        assertTrue(e.getMessage().contains("length >= 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SelectiveCopying(32, 2, 16), "no data tokens");
        assertThrows(IllegalArgumentException.class, () -> new SelectiveCopying(32, 16, 0), "nothing to copy");
    }

    private static List<Integer> dataPositions(SelectiveCopying task, Example e) {
        int[] x = ((Inputs.Tokens) e.inputs()).ids();
        List<Integer> at = new ArrayList<>();
        for (int t = 0; t < task.length() - task.count(); t++) if (x[t] != task.noiseToken()) at.add(t);
        return at;
    }

    private static void assertInvariants(SelectiveCopying task, Example e) {
        int[] x = ((Inputs.Tokens) e.inputs()).ids(), y = ((Targets.Classes) e.targets()).labels();
        int region = task.length() - task.count();
        List<Integer> data = new ArrayList<>();
        for (int t = 0; t < region; t++) {
            assertEquals(Targets.IGNORE, y[t], "position " + t + " before the markers is scored");
            if (x[t] == task.noiseToken()) continue;
            assertTrue(x[t] >= 1 && x[t] < task.markerToken(), "data token " + x[t]);
            data.add(x[t]);
        }
        assertEquals(task.count(), data.size(), "data tokens among the noise");
        for (int k = 0; k < task.count(); k++) {
            assertEquals(task.markerToken(), x[region + k]);
            assertEquals(data.get(k), y[region + k], "marker " + k + " asks for data token " + k);
        }
    }
}
