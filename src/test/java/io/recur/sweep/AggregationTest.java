package io.recur.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.recur.io.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's figures on hand-made run folders, against values worked out by hand (in the comments). */
class AggregationTest {
    private static final double EPS = 1e-12, R2 = Math.sqrt(2);

    @Test
    void sampleStatistics() {
        // 1, 2, 4: mean 7/3; squared deviations 16/9 + 1/9 + 25/9 = 42/9, over n − 1 = 2: 7/3
        Stat s = Stat.of(List.of(1.0, 2.0, 4.0));
        assertEquals(7.0 / 3, s.mean(), EPS);
        assertEquals(Math.sqrt(7.0 / 3), s.std(), EPS);
        assertEquals(new Stat(0.5, null, 1), Stat.of(List.of(0.5)));
        assertEquals(new Stat(null, null, 0), Stat.of(List.of()));
        assertEquals("2.333 ± 1.528", s.text());
    }

    /**
     * Two optimizers × two learning rates × two seeds, validation token accuracy at steps 10, 20, 30
     * (seconds in brackets), target 0.8. One sgd run at lr 0.01 failed.
     */
    @Test
    void configurationsAndTheTunedChoiceMatchAHandComputation(@TempDir Path dir) throws Exception {
        List<SweepRecord.Entry> entries = new ArrayList<>();
        run(dir, entries, "adamw", 0.01, 1, new double[] {0.5, 0.9, 0.85}, new double[] {1, 2, 3}, 0.8);
        run(dir, entries, "adamw", 0.01, 2, new double[] {0.6, 0.7, 0.82}, new double[] {1.5, 3, 4.5}, 0.7);
        run(dir, entries, "adamw", 0.1, 1, new double[] {0.3, 0.4, 0.5}, new double[] {1, 2, 3}, 0.45);
        run(dir, entries, "adamw", 0.1, 2, new double[] {0.2, 0.6, 0.4}, new double[] {1, 2, 3}, 0.35);
        run(dir, entries, "sgd", 0.01, 1, new double[] {0.1, 0.2, 0.3}, new double[] {1, 2, 3}, 0.25);
        run(dir, entries, "sgd", 0.01, 2, new double[] {0.1}, new double[] {1}, null);   // failed after step 10
        run(dir, entries, "sgd", 0.1, 1, new double[] {0.5, 0.7, 0.9}, new double[] {1, 2, 3}, 0.88);
        run(dir, entries, "sgd", 0.1, 2, new double[] {0.4, 0.8, 0.8}, new double[] {1, 2, 3}, 0.78);
        new SweepRecord("recur sweep s.yaml --out d", "s.yaml", "axes: ...", "token_accuracy", false, 0.8, "lr",
                List.of("optimizer", "lr", "seed"), entries).write(dir);

        Aggregation a = SweepReport.write(dir);
        assertEquals(8, a.runs().size());
        assertEquals(4, a.configurations().size());

        Aggregation.Configuration adamwSmall = a.configurations().get(0);
        assertEquals("optimizer=adamw lr=0.01", adamwSmall.label());
        assertEquals(List.of("optimizer=adamw_lr=0.01_seed=1", "optimizer=adamw_lr=0.01_seed=2"), adamwSmall.runNames());
        // final 0.85, 0.82: mean 0.835, std 0.03/√2; best 0.9, 0.82: mean 0.86, std 0.08/√2
        check(adamwSmall.finalValidation(), 0.835, 0.03 / R2, 2);
        check(adamwSmall.bestValidation(), 0.86, 0.08 / R2, 2);
        // target 0.8 first met at step 20 (2 s) and step 30 (4.5 s)
        assertEquals(2, adamwSmall.reachedTarget());
        check(adamwSmall.stepsToTarget(), 25, 10 / R2, 2);
        check(adamwSmall.secondsToTarget(), 3.25, 2.5 / R2, 2);
        check(adamwSmall.test(), 0.75, 0.1 / R2, 2);

        Aggregation.Configuration adamwLarge = a.configurations().get(1);
        check(adamwLarge.finalValidation(), 0.45, 0.1 / R2, 2);
        check(adamwLarge.bestValidation(), 0.55, 0.1 / R2, 2);   // best 0.5 and 0.6
        assertEquals(0, adamwLarge.reachedTarget());
        assertNull(adamwLarge.stepsToTarget().mean());

        Aggregation.Configuration sgdSmall = a.configurations().get(2);   // the failed run counts in no mean
        assertEquals(1, sgdSmall.finished());
        assertEquals(1, sgdSmall.failed());
        check(sgdSmall.finalValidation(), 0.3, null, 1);

        Aggregation.Configuration sgdLarge = a.configurations().get(3);
        check(sgdLarge.bestValidation(), 0.85, 0.1 / R2, 2);          // 0.9 and 0.8
        check(sgdLarge.stepsToTarget(), 25, 10 / R2, 2);               // steps 30 and 20
        check(sgdLarge.test(), 0.83, 0.1 / R2, 2);

        // adamw: lr 0.01 (mean best 0.86) beats lr 0.1 (0.55); sgd: lr 0.01 had a failed run, so lr 0.1
        assertEquals(2, a.tuned().size());
        Aggregation.Choice adamw = a.tuned().get(0), sgd = a.tuned().get(1);
        assertEquals(Map.of("optimizer", TextNode.valueOf("adamw")), adamw.fixed());
        assertEquals(0.01, adamw.chosen().asDouble());
        check(adamw.test(), 0.75, 0.1 / R2, 2);
        assertEquals(0.1, sgd.chosen().asDouble());
        check(sgd.test(), 0.83, 0.1 / R2, 2);

        String md = Files.readString(dir.resolve(SweepReport.MARKDOWN));
        assertEquals(4, md.lines().filter(l -> l.startsWith("| optimizer=") && !l.contains("_seed=")).count(), md);
        assertEquals(8, md.lines().filter(l -> l.startsWith("| optimizer=") && l.contains("_seed=")).count(), md);
        assertTrue(md.contains("| optimizer=adamw lr=0.01 | 2 | 0 | 0.835 ± 0.02121 | 0.86 ± 0.05657 | 25 ± 7.071 (2/2) | 3.25 ± 1.768 (2/2) | 0.75 ± 0.07071 |"), md);
        assertTrue(md.contains("| optimizer=adamw lr=0.1 | 2 | 0 | 0.45 ± 0.07071 | 0.55 ± 0.07071 | not reached (0/2) |"), md);
        assertTrue(md.contains("| adamw | 0.01 | 2 | 0.86 ± 0.05657 | 0.75 ± 0.07071 |"), md);
        assertTrue(md.contains("| sgd | 0.1 | 2 | 0.85 ± 0.07071 | 0.83 ± 0.07071 |"), md);
        assertTrue(md.contains("failed: loss became NaN"), md);
        assertTrue(md.contains("recur sweep s.yaml --out d"), md);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(SweepReport.SUMMARY).toFile());
        assertEquals(8, summary.get("runs").size());
        assertEquals(4, summary.get("configurations").size());
        assertEquals(0.835, summary.at("/configurations/0/final_validation/mean").asDouble(), EPS);
        for (String png : List.of(SweepReport.CURVES, SweepReport.CURVES_TIME, "final-vs-lr.png", SweepReport.TO_TARGET))
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
    }

    /** Runs A (10, 20; finished early at the target), B (10, 20, 30), C (10, failed): at 30, A counts with its step-20 value. */
    @Test
    void learningCurvesAverageOverSeedsAndKeepTheLastValueOfARunThatStoppedEarly() {
        RunSummary a = summary("a", RunResult.FINISHED, new long[] {10, 20}, new double[] {1, 2}, new double[] {0.2, 0.9});
        RunSummary b = summary("b", RunResult.FINISHED, new long[] {10, 20, 30}, new double[] {3, 4, 5}, new double[] {0.4, 0.5, 0.7});
        RunSummary c = summary("c", RunResult.FAILED, new long[] {10}, new double[] {9}, new double[] {0.0});
        SweepPlots.Band steps = SweepPlots.meanCurve(List.of(a, b, c), false);
        assertArrayEquals(new double[] {10, 20, 30}, steps.x(), EPS);
        // step 10: 0.2, 0.4 → 0.3 ± 0.2/√2; step 20: 0.9, 0.5 → 0.7 ± 0.4/√2; step 30: 0.9 (kept), 0.7 → 0.8 ± 0.2/√2
        assertArrayEquals(new double[] {0.3, 0.7, 0.8}, steps.mean(), EPS);
        assertArrayEquals(new double[] {0.2 / R2, 0.4 / R2, 0.2 / R2}, steps.std(), EPS);
        // against time: the mean seconds of the runs evaluated at that step (1, 3 → 2; 2, 4 → 3; 5)
        assertArrayEquals(new double[] {2, 3, 5}, SweepPlots.meanCurve(List.of(a, b, c), true).x(), EPS);
        // a run still going (no result.json) is not extended past its last evaluation
        RunSummary pending = summary("a", RunSummary.PENDING, new long[] {10, 20}, new double[] {1, 2}, new double[] {0.2, 0.9});
        assertArrayEquals(new double[] {0.3, 0.7, 0.7}, SweepPlots.meanCurve(List.of(pending, b), false).mean(), EPS);
    }

    private static RunSummary summary(String name, String status, long[] steps, double[] seconds, double[] values) {
        return new RunSummary(name, Map.of(), status, null, null, null, null, null, null, null, null, new RunSummary.Curve(steps, seconds, values));
    }

    private static void check(Stat s, double mean, Double std, int n) {
        assertEquals(mean, s.mean(), EPS);
        if (std == null) assertNull(s.std());
        else assertEquals(std, s.std(), EPS);
        assertEquals(n, s.n());
    }

    /** A run folder with val_token_accuracy at steps 10, 20, ... and a result.json (failed when test is null). */
    private static void run(Path dir, List<SweepRecord.Entry> entries, String optimizer, double lr, int seed, double[] values, double[] seconds, Double test)
            throws Exception {
        Map<String, JsonNode> v = new LinkedHashMap<>();
        v.put("optimizer", TextNode.valueOf(optimizer));
        v.put("lr", DoubleNode.valueOf(lr));
        v.put("seed", IntNode.valueOf(seed));
        String name = SweepPlan.name(v);
        entries.add(new SweepRecord.Entry(name, v));
        Path folder = dir.resolve(SweepRecord.RUNS).resolve(name);
        Files.createDirectories(folder);
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            log.append(String.format(java.util.Locale.ROOT, "{\"step\": %d, \"loss\": 1.0, \"elapsed_seconds\": %s}%n", 10 * i + 5, seconds[i] - 0.5));
            log.append(String.format(java.util.Locale.ROOT, "{\"step\": %d, \"loss\": 1.0, \"val_loss\": 1.0, \"val_token_accuracy\": %s, \"elapsed_seconds\": %s}%n",
                    10 * (i + 1), values[i], seconds[i]));
        }
        Files.writeString(folder.resolve("metrics.jsonl"), log);
        RunResult result = test == null
                ? RunResult.failed("loss became NaN at step 12 (learning rate 0.01); stopped", 10, 1, "token_accuracy")
                : new RunResult(RunResult.FINISHED, null, 30, seconds[seconds.length - 1], false, "token_accuracy", values[values.length - 1], test, 1.0);
        JsonFiles.write(folder.resolve(RunResult.FILE), result);
    }
}
