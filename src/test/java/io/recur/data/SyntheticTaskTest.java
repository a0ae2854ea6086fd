package io.recur.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.synthetic.AddingProblem;
import io.recur.data.synthetic.AssociativeRecall;
import io.recur.data.synthetic.InductionHeads;
import io.recur.data.synthetic.Parity;
import io.recur.data.synthetic.SelectiveCopying;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What every synthetic task promises: reproducible batches, independent of batch size, and disjoint splits. */
class SyntheticTaskTest {
    static Stream<ExampleGenerator> generators() {
        return Stream.of(new SelectiveCopying(40, 6, 4), new InductionHeads(20, 5), new AssociativeRecall(32, 64, 4, 0.01, true),
                new AddingProblem(12), new Parity(16));
    }

    private static Object inputArray(Batch b) {
        return switch (b.inputs()) {
            case Inputs.Tokens t -> t.ids();
            case Inputs.Features f -> f.values();
        };
    }

    private static Object targetArray(Batch b) {
        return switch (b.targets()) {
            case Targets.Classes c -> c.labels();
            case Targets.Values v -> v.values();
        };
    }

    private static boolean same(Batch a, Batch b) {
        return Arrays.deepEquals(new Object[] {inputArray(a), targetArray(a)}, new Object[] {inputArray(b), targetArray(b)});
    }

    @ParameterizedTest
    @MethodSource("generators")
    void theSameSeedAndIndexGiveTheSameBatchAndOthersDiffer(ExampleGenerator g) {
        Batch a = new SyntheticTask(g, 42).batch(Split.TRAIN, 3, 8);
        assertTrue(same(a, new SyntheticTask(g, 42).batch(Split.TRAIN, 3, 8)), "same seed and index");
        assertFalse(same(a, new SyntheticTask(g, 42).batch(Split.TRAIN, 4, 8)), "next index");
        assertFalse(same(a, new SyntheticTask(g, 43).batch(Split.TRAIN, 3, 8)), "other seed");
        assertFalse(same(a, new SyntheticTask(g, 42).batch(Split.VALIDATION, 3, 8)), "other split");
        assertEquals(g.spec(), a.spec());
    }

    @ParameterizedTest
    @MethodSource("generators")
    void aBatchIsAWindowOfTheSplitsExamples(ExampleGenerator g) {
        SyntheticTask task = new SyntheticTask(g, 5);
        Batch big = task.batch(Split.TEST, 1, 6), small = task.batch(Split.TEST, 3, 2); // both hold examples 6 and 7 first
        Batch firstTwo = Batch.of(g.spec(), List.of(task.example(Split.TEST, 6), task.example(Split.TEST, 7)));
        assertTrue(same(small, firstTwo));
        int perRow = big.inputs().elements() / big.size();
        Object bigInputs = inputArray(big);
        if (bigInputs instanceof int[] ids) assertArrayEquals(Arrays.copyOf(ids, 2 * perRow), ((Inputs.Tokens) small.inputs()).ids());
        else assertArrayEquals(Arrays.copyOf((float[]) bigInputs, 2 * perRow), ((Inputs.Features) small.inputs()).values());
    }

    @ParameterizedTest
    @MethodSource("generators")
    void everyExampleLandsInTheSplitItWasDrawnFor(ExampleGenerator g) {
        SyntheticTask task = new SyntheticTask(g, 9);
        for (Split s : Split.values())
            for (int i = 0; i < 20; i++) assertEquals(s, ContentSplit.of(task.example(s, i).inputs()));
    }

    @Test
    void splitsShareNoSequenceEvenWhenTheSpaceIsSmall() {
        SyntheticTask task = new SyntheticTask(new Parity(8), 1); // 256 sequences in all
        Map<String, Split> seen = new HashMap<>();
        int[] distinct = new int[3];
        for (Split s : Split.values()) {
            Batch b = task.batch(s, 0, 400);
            int[] ids = ((Inputs.Tokens) b.inputs()).ids();
            for (int row = 0; row < b.size(); row++) {
                String key = Arrays.toString(Arrays.copyOfRange(ids, row * 8, row * 8 + 8));
                Split before = seen.putIfAbsent(key, s);
                if (before == null) distinct[s.ordinal()]++;
                else assertEquals(before, s, key + " is in two splits");
            }
        }
        assertTrue(distinct[0] > 150 && distinct[1] > 10 && distinct[2] > 10, "distinct per split " + Arrays.toString(distinct));
    }

    @Test
    void aTaskTooSmallToSplitSaysSo() {
        SyntheticTask tiny = new SyntheticTask(new Parity(1), 0); // two sequences cannot fill three splits
        var e = assertThrows(IllegalStateException.class, () -> { for (Split s : Split.values()) tiny.example(s, 0); });
        assertTrue(e.getMessage().contains("too few distinct sequences"), e.getMessage());
    }

    @Test
    void badBatchArgumentsAreRejected() {
        SyntheticTask task = new SyntheticTask(new Parity(4), 0);
        assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, -1, 4));
        assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, 0, 0));
        assertTrue(task.size(Split.TRAIN).isEmpty());
    }
}
