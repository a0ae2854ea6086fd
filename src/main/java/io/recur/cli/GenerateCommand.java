package io.recur.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Generation;
import io.recur.nn.ModelConfig;
import io.recur.nn.Sampling;
import io.recur.nn.SequenceModel;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `recur generate`: continues a prompt, one recurrent step per token. A text prompt needs a
 * byte-level model; token ids suit any language model (e.g. a mamba_ssm checkpoint, whose
 * tokenizer is not shipped here) and the new ids are printed as a JSON array.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = {"Continue a prompt with a language model checkpoint.",
        "--prompt: text, for a byte-level model (e.g. trained with --task bytes:FILE); prints the text.",
        "--prompt-ids: token ids, for any token model (e.g. a mamba_ssm checkpoint); prints the new ids as a JSON array."})
final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Exactly one kind of prompt. */
    static final class Prompt {
        @Option(names = "--prompt", required = true, description = "text to continue (UTF-8 bytes)") String text;
        @Option(names = "--prompt-ids", required = true, paramLabel = "ID,ID,...", description = "token ids to continue, e.g. 1,2,3") String ids;
    }

    @Option(names = "--checkpoint", required = true, description = "checkpoint folder: written by recur train (e.g. train-out/checkpoint), or a Mamba by mamba_ssm or HF transformers") Path checkpoint;
    @ArgGroup(exclusive = true, multiplicity = "1") Prompt prompt;
    @Option(names = "--tokens", defaultValue = "200", description = "tokens (bytes for a text prompt) to generate (default: ${DEFAULT-VALUE})") int tokens;
    @Option(names = "--temperature", defaultValue = "0.8", description = "0 for greedy (default: ${DEFAULT-VALUE})") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "sample among the k most likely tokens, 0 for all (default: ${DEFAULT-VALUE})") int topK;
    @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--backend", defaultValue = "auto", description = "cpu, cuda, cuda-sim or auto (default: ${DEFAULT-VALUE})") String backendName;

    @Override
    public Integer call() throws Exception {
        Sampling sampling = new Sampling(temperature, topK);
        Backend backend = Backends.byName(backendName);
        boolean text = prompt.text != null;
        int[] ids = text ? bytes(prompt.text) : tokenIds(prompt.ids);
        int[] generated;
        try (SequenceModel model = TrainingCheckpoint.loadModel(checkpoint, backend)) {
            requireLanguageModel(model.config(), text);
            generated = Generation.generate(model, ids, tokens, sampling, seed);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (text) {
            byte[] continuation = new byte[generated.length];
            for (int i = 0; i < continuation.length; i++) continuation[i] = (byte) generated[i];
            out.print(prompt.text);
            out.println(new String(continuation, StandardCharsets.UTF_8));
        } else {
            out.println(new ObjectMapper().writeValueAsString(generated));
        }
        out.flush();
        return 0;
    }

    private static int[] bytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < ids.length; i++) ids[i] = b[i] & 0xFF;
        return ids;
    }

    private static int[] tokenIds(String list) {
        String[] parts = list.split(",", -1);
        int[] ids = new int[parts.length];
        for (int i = 0; i < ids.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--prompt-ids takes token ids separated by commas, e.g. 1,2,3; '" + parts[i] + "' in '" + list + "' is not one");
            }
        }
        return ids;
    }

    /** Generated tokens are fed back, so the outputs must be the vocabulary; a text prompt also needs bytes. */
    private void requireLanguageModel(ModelConfig c, boolean text) {
        boolean languageModel = c.tokenInputs() && c.outputSize() == c.vocabSize();
        if (languageModel && (!text || c.vocabSize() == 256)) return;
        String holds = checkpoint + " holds a " + c.modelType() + " with " + (c.tokenInputs() ? c.vocabSize() + " tokens" : c.inputFeatures() + " features")
                + " in and " + c.outputSize() + " outputs";
        if (!languageModel) throw new IllegalArgumentException("generate needs a language model (tokens in, next-token logits out); " + holds);
        throw new IllegalArgumentException("generate needs a byte-level language model (256 tokens in and out) for a text --prompt; " + holds
                + " (use --prompt-ids)");
    }
}
