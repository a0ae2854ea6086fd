package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.RandomStream;
import io.recur.data.Targets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InductionHeadsTest {
    @Test
    void defaultsAreTheMambaPapersTrainingSetting() {
        InductionHeads paper = InductionHeads.mambaPaper();
        assertEquals(256, paper.length());
        assertEquals(16, paper.vocab());
        assertEquals(15, paper.triggerToken());
    }

    @Test
    void theAnswerIsTheTokenAfterTheTriggersFirstOccurrence() {
        InductionHeads task = new InductionHeads(12, 4);
        Set<Integer> triggerPlaces = new HashSet<>(), answers = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Example e = task.generate(new RandomStream(3, 0, i));
            int[] x = ((Inputs.Tokens) e.inputs()).ids(), y = ((Targets.Classes) e.targets()).labels();
            int first = -1, occurrences = 0;
            for (int t = 0; t < x.length; t++) {
                if (x[t] != task.triggerToken()) continue;
                occurrences++;
                if (first < 0) first = t;
            }
            assertEquals(2, occurrences, "the trigger appears once in the body and once at the end");
            assertEquals(task.triggerToken(), x[x.length - 1]);
            assertEquals(x[first + 1], y[y.length - 1]);
            for (int t = 0; t < y.length - 1; t++) assertEquals(Targets.IGNORE, y[t], "only the last position is scored");
            triggerPlaces.add(first);
            answers.add(y[y.length - 1]);
        }
        assertEquals(10, triggerPlaces.size(), "the trigger takes every place 0..length-3");
        assertEquals(3, answers.size(), "every non-trigger token is an answer");
    }

    @Test
    void settingsThatCannotWorkAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new InductionHeads(2, 16));
        assertThrows(IllegalArgumentException.class, () -> new InductionHeads(16, 2));
    }
}
