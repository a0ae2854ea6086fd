package io.recur.cli;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Generation;
import io.recur.nn.Sampling;
import io.recur.nn.SequenceModel;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `recur generate`: continues a prompt with a byte-level language model, one recurrent step per byte. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a prompt with a byte-level language model checkpoint (e.g. trained with --task bytes:FILE).")
final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "checkpoint folder, e.g. train-out/checkpoint") Path checkpoint;
    @Option(names = "--prompt", required = true, description = "text to continue (UTF-8 bytes)") String prompt;
    @Option(names = "--tokens", defaultValue = "200", description = "bytes to generate (default: ${DEFAULT-VALUE})") int tokens;
    @Option(names = "--temperature", defaultValue = "0.8", description = "0 for greedy (default: ${DEFAULT-VALUE})") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "sample among the k most likely bytes, 0 for all (default: ${DEFAULT-VALUE})") int topK;
    @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--backend", defaultValue = "auto", description = "cpu, cuda, cuda-sim or auto (default: ${DEFAULT-VALUE})") String backendName;

    @Override
    public Integer call() throws Exception {
        Sampling sampling = new Sampling(temperature, topK);
        Backend backend = Backends.byName(backendName);
        byte[] promptBytes = prompt.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[promptBytes.length];
        for (int i = 0; i < ids.length; i++) ids[i] = promptBytes[i] & 0xFF;
        int[] generated;
        try (SequenceModel model = TrainingCheckpoint.loadModel(checkpoint, backend)) {
            if (model.config().vocabSize() != 256 || model.config().outputSize() != 256)
                throw new IllegalArgumentException("generate needs a byte-level language model (256 tokens in and out); " + checkpoint + " holds a "
                        + model.config().modelType() + " with " + (model.config().tokenInputs() ? model.config().vocabSize() + " tokens" : model.config().inputFeatures() + " features")
                        + " in and " + model.config().outputSize() + " outputs");
            generated = Generation.generate(model, ids, tokens, sampling, seed);
        }
        byte[] text = new byte[generated.length];
        for (int i = 0; i < text.length; i++) text[i] = (byte) generated[i];
        PrintWriter out = spec.commandLine().getOut();
        out.print(prompt);
        out.println(new String(text, StandardCharsets.UTF_8));
        out.flush();
        return 0;
    }
}
