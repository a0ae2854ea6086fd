package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.io.ConfigFiles;
import io.recur.train.RunConfigs;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file (JSON or YAML), checked field by field so that a mistake is reported with its path:
 * <pre>
 * base:   {model: gru, task: selective-copying, ...}   # RunConfig keys shared by every run
 * axes:                                                 # RunConfig keys to vary, in this order
 *   optimizer: [adamw, sgd]
 *   lr: {log_grid: [1.0e-4, 1.0e-2, 5]}                 # 5 rates evenly spaced in log, 3 significant digits
 *   seed: [1, 2, 3]                                     # averaged over in the report
 * budget: {steps: 1500, wall_seconds: 600}              # per run; either or both
 * target: {metric: token_accuracy, threshold: 0.99}     # optional: stop there, report steps to it
 * select: lr                                            # optional: the key tuned on validation (default lr)
 * </pre>
 */
public record SweepFile(ObjectNode base, Map<String, List<JsonNode>> axes, Integer steps, Double wallSeconds,
                        String targetMetric, Double threshold, String select) {
    public static final List<String> FIELDS = List.of("base", "axes", "budget", "target", "select");
    static final List<String> BUDGET_FIELDS = List.of("steps", "wall_seconds"), TARGET_FIELDS = List.of("metric", "threshold");
    static final String LOG_GRID = "log_grid", SEED = "seed", DEFAULT_SELECT = "lr";

    public static SweepFile read(Path file) throws IOException {
        return parse(ConfigFiles.readTree(file), "sweep file " + file);
    }

    /** Checks a parsed sweep file; {@code where} names it in errors. */
    public static SweepFile parse(JsonNode tree, String where) {
        if (!tree.isObject()) throw bad(where, "the file must hold an object with the fields " + String.join(", ", FIELDS));
        onlyFields(tree, FIELDS, where, "");
        JsonNode base = tree.path("base");
        if (!base.isMissingNode() && !base.isObject()) throw bad(where, "field 'base' must be an object of run settings (key: value)");
        ObjectNode baseObject = base.isObject() ? ((ObjectNode) base).deepCopy() : ((ObjectNode) tree).objectNode();
        baseObject.fieldNames().forEachRemaining(k -> runKey(k, where, "base." + k));

        JsonNode axesNode = tree.path("axes");
        if (!axesNode.isObject() || axesNode.isEmpty())
            throw bad(where, "field 'axes' must be an object of keys to vary, each with a list of values (or {log_grid: [min, max, count]})");
        Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
        for (var e : axesNode.properties()) {
            String field = "axes." + e.getKey();
            runKey(e.getKey(), where, field);
            axes.put(e.getKey(), axisValues(e.getValue(), where, field));
        }

        JsonNode budget = tree.path("budget");
        if (!budget.isObject()) throw bad(where, "field 'budget' is required: an object with steps and/or wall_seconds per run");
        onlyFields(budget, BUDGET_FIELDS, where, "budget.");
        Integer steps = budget.has("steps") ? positiveInt(budget.get("steps"), where, "budget.steps") : null;
        Double wall = budget.has("wall_seconds") ? positive(budget.get("wall_seconds"), where, "budget.wall_seconds") : null;
        if (steps == null && wall == null) throw bad(where, "field 'budget' needs steps and/or wall_seconds");

        String metric = null;
        Double threshold = null;
        JsonNode target = tree.path("target");
        if (!target.isMissingNode()) {
            if (!target.isObject()) throw bad(where, "field 'target' must be an object {metric: NAME, threshold: NUMBER}");
            onlyFields(target, TARGET_FIELDS, where, "target.");
            if (!target.path("metric").isTextual()) throw bad(where, "field 'target.metric' must name the validation metric (token_accuracy, sequence_accuracy or mse)");
            if (!target.path("threshold").isNumber()) throw bad(where, "field 'target.threshold' must be a number");
            metric = target.get("metric").asText().replaceFirst("^val_", "");
            threshold = target.get("threshold").asDouble();
        }

        JsonNode selectNode = tree.path("select");
        String select;
        if (selectNode.isMissingNode()) {
            select = axes.containsKey(DEFAULT_SELECT) ? DEFAULT_SELECT : null;
        } else {
            if (!selectNode.isTextual() || !axes.containsKey(selectNode.asText()))
                throw bad(where, "field 'select' must name one of the axes (" + String.join(", ", axes.keySet()) + "), got " + selectNode);
            select = selectNode.asText();
            if (select.equals(SEED)) throw bad(where, "field 'select' cannot be seed: seeds are averaged over, not tuned");
        }
        // the budget and the target set these run settings; a second place for one would leave a reader guessing which wins
        once(baseObject, axes, "steps", steps != null, "budget.steps", where);
        once(baseObject, axes, "max_seconds", wall != null, "budget.wall_seconds", where);
        once(baseObject, axes, "target", threshold != null, "target.threshold", where);
        return new SweepFile(baseObject, axes, steps, wall, metric, threshold, select);
    }

    /** The axes other than seed: what makes one configuration. */
    public List<String> configurationAxes() { return axes.keySet().stream().filter(k -> !k.equals(SEED)).toList(); }

    private static List<JsonNode> axisValues(JsonNode node, String where, String field) {
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode v : node) {
                if (!v.isValueNode() || v.isNull()) throw bad(where, "field '" + field + "' must list plain values (numbers, text, true/false), got " + v);
                values.add(v);
            }
        } else if (node.isObject()) {
            onlyFields(node, List.of(LOG_GRID), where, field + ".");
            JsonNode grid = node.path(LOG_GRID);
            if (!grid.isArray() || grid.size() != 3 || !grid.get(0).isNumber() || !grid.get(1).isNumber() || !grid.get(2).canConvertToInt())
                throw bad(where, "field '" + field + "." + LOG_GRID + "' must be [min, max, count], e.g. [1.0e-4, 1.0e-2, 5]");
            double min = grid.get(0).asDouble(), max = grid.get(1).asDouble();
            int count = grid.get(2).asInt();
            if (!(min > 0) || !(max >= min) || count < 1 || (count == 1 && max != min))
                throw bad(where, "field '" + field + "." + LOG_GRID + "' needs 0 < min <= max and count >= 1 (count 1 only when min = max), got " + grid);
            for (double v : logGrid(min, max, count)) values.add(com.fasterxml.jackson.databind.node.DoubleNode.valueOf(v));
        } else {
            throw bad(where, "field '" + field + "' must be a list of values or {" + LOG_GRID + ": [min, max, count]}");
        }
        if (values.isEmpty()) throw bad(where, "field '" + field + "' lists no values");
        if (Set.copyOf(values).size() != values.size()) throw bad(where, "field '" + field + "' lists a value twice: " + values);
        return values;
    }

    /** count values from min to max, evenly spaced in log, rounded to 3 significant digits so that they read well in names. */
    static double[] logGrid(double min, double max, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            double x = count == 1 ? min : Math.exp(Math.log(min) + i * (Math.log(max) - Math.log(min)) / (count - 1));
            v[i] = new BigDecimal(x).round(new MathContext(3)).doubleValue();
        }
        return v;
    }

    private static void once(JsonNode base, Map<String, List<JsonNode>> axes, String key, boolean given, String field, String where) {
        if (!given) return;
        if (base.has(key)) throw bad(where, "field 'base." + key + "' repeats '" + field + "'; give it once");
        if (axes.containsKey(key)) throw bad(where, "field 'axes." + key + "' repeats '" + field + "'; give it once");
    }

    private static void onlyFields(JsonNode node, List<String> allowed, String where, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw bad(where, "unknown field '" + prefix + f + "'; allowed: " + String.join(", ", allowed));
        }
    }

    private static void runKey(String key, String where, String field) {
        if (!RunConfigs.keys().contains(key))
            throw bad(where, "field '" + field + "' is not a run setting; known settings: " + String.join(", ", RunConfigs.keys()));
    }

    private static int positiveInt(JsonNode v, String where, String field) {
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) throw bad(where, "field '" + field + "' must be a whole number >= 1, got " + v);
        return v.asInt();
    }

    private static double positive(JsonNode v, String where, String field) {
        if (!v.isNumber() || !(v.asDouble() > 0)) throw bad(where, "field '" + field + "' must be a number > 0, got " + v);
        return v.asDouble();
    }

    private static IllegalArgumentException bad(String where, String what) { return new IllegalArgumentException(where + ": " + what); }
}
