package io.recur.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.recur.train.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepFileTest {
    private static final String BASE = "base: {backend: cpu, d_model: 8, n_layer: 1, seq_len: 12, vocab: 5, items: 2}\n";
    private static final String AXES = "axes: {optimizer: [adamw, sgd], lr: {log_grid: [1.0e-3, 1.0e-2, 4]}, seed: [1, 2]}\n";
    private static final String BUDGET = "budget: {steps: 10, wall_seconds: 60}\n";

    private static SweepFile parse(String yaml) throws Exception {
        JsonNode tree = new YAMLMapper().readTree(yaml);
        return SweepFile.parse(tree, "sweep file test.yaml");
    }

    private static String error(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(parse(yaml))).getMessage();
    }

    @Test
    void everyCombinationGetsTheBaseTheBudgetAndItsAxisValues() throws Exception {
        SweepPlan plan = SweepPlan.of(parse(BASE + AXES + BUDGET + "target: {metric: val_token_accuracy, threshold: 0.9}\n"));
        assertEquals(2 * 4 * 2, plan.runs().size());
        assertEquals("lr", plan.file().select());
        assertEquals("token_accuracy", plan.file().targetMetric());
        assertEquals(List.of("optimizer", "lr"), plan.file().configurationAxes());
        SweepPlan.PlannedRun third = plan.runs().get(2);   // the last axis varies fastest
        assertEquals("optimizer=adamw_lr=0.00215_seed=1", third.name());
        RunConfig c = third.config();
        assertEquals("adamw", c.optimizer());
        assertEquals(0.00215, c.lr());
        assertEquals(1, c.seed());
        assertEquals(10, c.steps());
        assertEquals(60.0, c.maxSeconds());
        assertEquals(0.9, c.target());
        assertEquals(8, c.dModel());
        assertEquals("cpu", c.backend());
        assertEquals(RunConfig.defaults().batchSize(), c.batchSize());   // not in the file: the default
        assertEquals("optimizer=sgd_lr=0.01_seed=2", plan.runs().getLast().name());
    }

    @Test
    void theExampleSweepFilePlansThirtyRuns() throws Exception {
        SweepPlan plan = SweepPlan.of(SweepFile.read(java.nio.file.Path.of("benchmarks/sweeps/adamw-vs-sgd-copying.yaml")));
        assertEquals(2 * 5 * 3, plan.runs().size());
        assertEquals(List.of(0.001, 0.00316, 0.01, 0.0316, 0.1), plan.file().axes().get("lr").stream().map(JsonNode::asDouble).toList());
        assertEquals(900.0, plan.runs().getFirst().config().maxSeconds());
    }

    /** 10^-3 · 10^(k/3), rounded to 3 significant digits by hand: 0.001, 0.0021544 → 0.00215, 0.0046416 → 0.00464, 0.01. */
    @Test
    void aLogGridIsEvenInLogAndRoundedForReadableNames() {
        assertArrayEquals(new double[] {0.001, 0.00215, 0.00464, 0.01}, SweepFile.logGrid(1e-3, 1e-2, 4), 0);
        assertArrayEquals(new double[] {1e-4, 1e-3, 1e-2}, SweepFile.logGrid(1e-4, 1e-2, 3), 1e-18);
        assertArrayEquals(new double[] {0.003}, SweepFile.logGrid(0.003, 0.003, 1), 0);
    }

    @Test
    void aMalformedFieldIsNamedWithTheAllowedOnes() {
        String m = error(BASE + AXES + BUDGET + "axis: {lr: [0.1]}\n");
        assertTrue(m.contains("unknown field 'axis'") && m.contains("allowed: base, axes, budget, target, select"), m);
        m = error("base: {d_modle: 8}\n" + AXES + BUDGET);
        assertTrue(m.contains("'base.d_modle'") && m.contains("d_model"), m);
        m = error(BASE + "axes: {lr: {log_grid: [1.0e-3, 1.0e-1]}}\n" + BUDGET);
        assertTrue(m.contains("'axes.lr.log_grid'") && m.contains("[min, max, count]"), m);
        m = error(BASE + "axes: {lr: {grid: [1, 2, 3]}}\n" + BUDGET);
        assertTrue(m.contains("unknown field 'axes.lr.grid'") && m.contains("allowed: log_grid"), m);
        m = error(BASE + "axes: {seed: []}\n" + BUDGET);
        assertTrue(m.contains("'axes.seed' lists no values"), m);
        m = error(BASE + AXES);
        assertTrue(m.contains("field 'budget' is required"), m);
        m = error(BASE + AXES + "budget: {stepz: 10}\n");
        assertTrue(m.contains("unknown field 'budget.stepz'") && m.contains("allowed: steps, wall_seconds"), m);
        m = error(BASE + AXES + "budget: {steps: 0}\n");
        assertTrue(m.contains("'budget.steps'"), m);
        m = error(BASE + AXES + BUDGET + "target: {metric: token_accuracy}\n");
        assertTrue(m.contains("'target.threshold'"), m);
        m = error(BASE + AXES + BUDGET + "target: {metric: mse, threshold: 0.1}\n");
        assertTrue(m.contains("'target.metric' is mse") && m.contains("token_accuracy"), m);
        m = error(BASE.replace("items: 2", "items: 2, steps: 5") + AXES + BUDGET);
        assertTrue(m.contains("'base.steps' repeats 'budget.steps'"), m);
        m = error(BASE + "axes: {target: [0.5, 0.9]}\n" + BUDGET + "target: {metric: token_accuracy, threshold: 0.9}\n");
        assertTrue(m.contains("'axes.target' repeats 'target.threshold'"), m);
        m = error(BASE + "axes: {lr: [1, 1.0]}\n" + BUDGET);
        assertTrue(m.contains("would share the folder lr=1"), m);
        m = error(BASE + AXES + BUDGET + "select: momentum\n");
        assertTrue(m.contains("'select'") && m.contains("optimizer, lr, seed"), m);
    }

    @Test
    void everyCombinationIsCheckedBeforeAnyRuns() {
        String m = error(BASE + "axes: {optimizer: [adamw, sgd], lr: [0.01, -1]}\n" + BUDGET);
        assertTrue(m.contains("run optimizer=adamw_lr=-1") && m.contains("lr must be finite and > 0"), m);
        m = error(BASE + "axes: {optimizer: [adamw, lion]}\n" + BUDGET);
        assertTrue(m.contains("run optimizer=lion") && m.contains("unknown optimizer 'lion'"), m);
        m = error(BASE + "axes: {model: [gru, rnn]}\n" + BUDGET);
        assertTrue(m.contains("run model=rnn") && m.contains("unknown model 'rnn'"), m);
        m = error(BASE + "axes: {task: [selective-copying, sorting]}\n" + BUDGET);
        assertTrue(m.contains("run task=sorting") && m.contains("unknown task 'sorting'"), m);
    }
}
