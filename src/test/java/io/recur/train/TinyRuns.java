package io.recur.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs small enough for tests: a 1-layer GRU on short selective copying, 20 steps, on the CPU. */
final class TinyRuns {
    static final Trainer.Listener SILENT = (step, total, loss, lr, tps) -> {};

    private TinyRuns() {}

    /** The tiny run with some keys changed. */
    static RunConfig config(Object... keyValues) throws IOException {
        Map<String, Object> o = new HashMap<>(Map.of("d_model", 16, "n_layer", 1, "seq_len", 12, "vocab", 5, "items", 2,
                "steps", 20, "batch_size", 8, "eval_interval", 10, "eval_batches", 2, "log_interval", 1));
        o.put("warmup", 5);
        o.put("backend", "cpu");
        for (int i = 0; i < keyValues.length; i += 2) o.put((String) keyValues[i], keyValues[i + 1]);
        return RunConfigs.merge(RunConfig.defaults(), null, o);
    }

    static TrainingRun.Outcome train(RunConfig run, Path folder) throws IOException { return TrainingRun.start(run, folder, SILENT, line -> {}); }

    /** The training losses of metrics.jsonl, in order. */
    static List<Double> losses(Path folder) throws IOException {
        return MetricsLog.read(folder).stream().map(l -> l.get("loss").asDouble()).toList();
    }

    static List<JsonNode> log(Path folder) throws IOException { return MetricsLog.read(folder); }
}
