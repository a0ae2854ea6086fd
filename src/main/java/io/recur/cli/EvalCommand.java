package io.recur.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.SequenceModel;
import io.recur.train.EvalData;
import io.recur.train.Evaluation;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `recur eval`: the mean next-token loss and accuracy of a checkpoint on a file, as JSON. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {"Score a language-model checkpoint on a file: prints JSON with the mean loss and accuracy.",
        "The file is text (bytes, for byte-level models) or a .npy array of token ids (batch, length)."})
final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "checkpoint folder (config.json, model.safetensors): written by recur train (e.g. train-out/checkpoint), or a Mamba by mamba_ssm or HF transformers") Path checkpoint;
    @Option(names = "--data", required = true, description = "text file or .npy of token ids") Path data;
    @Option(names = "--seq-len", defaultValue = "256", description = "window length for text files (default: ${DEFAULT-VALUE})") int seqLen;
    @Option(names = "--batch-size", defaultValue = "16", description = "sequences per batch (default: ${DEFAULT-VALUE})") int batchSize;
    @Option(names = "--backend", defaultValue = "auto", description = "cpu, cuda, cuda-sim or auto (default: ${DEFAULT-VALUE})") String backendName;

    @Override
    public Integer call() throws Exception {
        if (seqLen < 1 || batchSize < 1) throw new IllegalArgumentException("--seq-len and --batch-size must be >= 1");
        Backend backend = Backends.byName(backendName);
        Map<String, Object> report = new LinkedHashMap<>();
        try (SequenceModel model = TrainingCheckpoint.loadModel(checkpoint, backend)) {
            Evaluation.Result r = Evaluation.run(model, EvalData.fromFile(data, model.config(), seqLen, batchSize));
            report.put("checkpoint", checkpoint.toString());
            report.put("data", data.toString());
            report.put("loss", r.loss());
            report.put("accuracy", r.value());
            report.put("perplexity", Math.exp(r.loss()));
            report.put("tokens", r.positions());
        }
        spec.commandLine().getOut().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return 0;
    }
}
