package io.recur.cli;

import static io.recur.cli.TrainCommandTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.io.JsonFiles;
import io.recur.io.SafeTensors;
import io.recur.nn.Initializer;
import io.recur.nn.Sampling;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaLM;
import io.recur.nn.mamba.SsmConfig;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `recur eval` and `recur generate` on Mamba checkpoint folders as mamba_ssm and HF transformers
 * write them, checked against the same random MambaLM run in process: the loss against a
 * cross-entropy computed here from its logits, greedy generation (recurrent steps) against
 * re-reading the growing prefix with the whole-sequence forward.
 */
class ReferenceMambaCommandTest {
    private static final Backend CPU = Backends.cpu();
    /** vocab 50, padded to 56 by mamba_ssm's pad_vocab_size_multiple 8: logits are 56 wide. */
    private static final MambaConfig CONFIG = MambaConfig.of(8, 2, 50).withSsm(SsmConfig.defaults().withDState(4).withDtRank(3));

    @TempDir static Path dir;
    static Path mambaSsm, transformers;
    static MambaLM lm;

    @BeforeAll
    static void writeOneModelInBothLayouts() throws IOException {
        lm = new MambaLM(new Initializer(CPU, 21), CONFIG);
        // at mamba_ssm's initial scale the token's own embedding dominates the residual stream and greedy decoding repeats
        // one token; stronger mixers make the continuation depend on the carried state, which is what the tests check
        try (Scope s = Scope.open("test")) {
            Map<String, Tensor> stronger = new LinkedHashMap<>();
            lm.stateDict().forEach((name, w) -> {
                if (!name.endsWith("out_proj.weight")) return;
                float[] v = w.toFloatArray();
                for (int i = 0; i < v.length; i++) v[i] *= 10;
                stronger.put(name, CPU.fromArray(v, w.shape()));
            });
            lm.loadStateDict(stronger, false);
        }
        mambaSsm = dir.resolve("mamba_ssm");
        Map<String, Tensor> both = new LinkedHashMap<>(lm.stateDict());
        both.put("lm_head.weight", lm.embeddingWeight());   // torch.save of mamba_ssm's state_dict keeps the tied table twice
        write(mambaSsm, new ObjectMapper().writeValueAsString(JsonFiles.toTree(CONFIG)), both);

        transformers = dir.resolve("transformers");
        Map<String, Tensor> hf = new LinkedHashMap<>();
        lm.stateDict().forEach((k, v) -> hf.put(k.equals("backbone.embedding.weight") ? "backbone.embeddings.weight" : k, v));
        // transformers stores the padded vocabulary as vocab_size and pads nothing itself
        write(transformers, """
                {"architectures": ["MambaForCausalLM"], "model_type": "mamba", "hidden_size": 8, "num_hidden_layers": 2, "vocab_size": 56,
                 "state_size": 4, "expand": 2, "conv_kernel": 4, "time_step_rank": 3, "use_conv_bias": true, "use_bias": false,
                 "layer_norm_epsilon": 1e-5, "tie_word_embeddings": true, "bos_token_id": 0, "eos_token_id": 0, "torch_dtype": "float32"}
                """, hf);
    }

    @AfterAll
    static void close() { lm.close(); }

    @Test
    void evalPrintsTheCrossEntropyOfTheLogits() throws IOException {
        int rows = 3, cols = 7;
        int[] ids = new SplittableRandom(4).ints(rows * cols, 0, CONFIG.vocabSize()).toArray();
        double expected = crossEntropy(ids, rows, cols);
        for (int width : new int[] {4, 8}) {
            Path npy = dir.resolve("ids" + width + ".npy");
            Files.write(npy, EvalGenerateCommandTest.npy(rows, cols, ids, width));
            for (Path folder : new Path[] {mambaSsm, transformers}) {
                CliRun r = CliRun.of("eval", "--checkpoint", folder.toString(), "--data", npy.toString(), "--backend", "cpu");
                assertEquals(0, r.exitCode(), r.err());
                JsonNode json = new ObjectMapper().readTree(r.out());
                assertEquals(rows * (cols - 1), json.get("tokens").asInt());
                assertEquals(expected, json.get("loss").asDouble(), 1e-5 * expected, folder + " int" + 8 * width);
            }
        }
    }

    @Test
    void greedyGenerationEqualsArgmaxOfTheWholePrefix() throws IOException {
        int[] prompt = {3, 17, 42, 0};
        int[] expected = byRereading(prompt, 12, Sampling.greedy(), 0);
        assertTrue(Arrays.stream(expected).distinct().count() > 2, "a degenerate continuation tests little: " + Arrays.toString(expected));
        for (Path folder : new Path[] {mambaSsm, transformers})
            assertArrayEquals(expected, generate(folder, "3,17,42,0", 12, "--temperature", "0"), folder.toString());
    }

    /** Sampling draws from the same stream in the same order, so the step path's logits must pick the same tokens. */
    @Test
    void samplingEqualsSamplingTheWholePrefix() throws IOException {
        int[] expected = byRereading(new int[] {7}, 12, new Sampling(1, 0), 9);
        for (Path folder : new Path[] {mambaSsm, transformers})
            assertArrayEquals(expected, generate(folder, "7", 12, "--temperature", "1", "--seed", "9"), folder.toString());
    }

    private static int[] generate(Path folder, String prompt, int count, String... sampling) throws IOException {
        List<String> args = new ArrayList<>(List.of("generate", "--checkpoint", folder.toString(), "--prompt-ids", prompt, "--tokens", String.valueOf(count), "--backend", "cpu"));
        args.addAll(List.of(sampling));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readValue(r.out(), int[].class);
    }

    @Test
    void badFoldersAndPromptsGiveOneClearLine() throws IOException {
        Path neither = dir.resolve("neither");
        write(neither, "{\"hidden_dim\": 8, \"layers\": 2}", lm.stateDict());
        assertOneLine(CliRun.of("eval", "--checkpoint", neither.toString(), "--data", "x.npy", "--backend", "cpu"), 1,
                "is not a model config read here: expected model_type");
        Path mamba2 = dir.resolve("mamba2");
        write(mamba2, "{\"model_type\": \"mamba2\", \"hidden_size\": 8, \"num_hidden_layers\": 2, \"vocab_size\": 56}", lm.stateDict());
        assertOneLine(CliRun.of("generate", "--checkpoint", mamba2.toString(), "--prompt-ids", "1", "--backend", "cpu"), 1,
                "HF transformers config for model_type \"mamba2\"; only \"mamba\" checkpoints are read");
        Path misfit = dir.resolve("misfit");
        write(misfit, new ObjectMapper().writeValueAsString(JsonFiles.toTree(CONFIG.withSsm(CONFIG.ssmCfg().withDState(5)))), lm.stateDict());
        assertOneLine(CliRun.of("generate", "--checkpoint", misfit.toString(), "--prompt-ids", "1", "--backend", "cpu"), 1,
                "does not fit a Mamba");
        assertOneLine(CliRun.of("generate", "--checkpoint", mambaSsm.toString(), "--prompt-ids", "1,56", "--backend", "cpu"), 1,
                "prompt token 56 is outside the vocabulary [0, 56)");
        assertOneLine(CliRun.of("generate", "--checkpoint", mambaSsm.toString(), "--prompt", "hi", "--backend", "cpu"), 1,
                "generate needs a byte-level language model (256 tokens in and out) for a text --prompt");
        assertOneLine(CliRun.of("generate", "--checkpoint", mambaSsm.toString(), "--prompt", "hi", "--prompt-ids", "1"), 2, "mutually exclusive");
        assertOneLine(CliRun.of("generate", "--checkpoint", mambaSsm.toString()), 2, "Missing required argument");
        assertOneLine(CliRun.of("generate", "--checkpoint", mambaSsm.toString(), "--prompt-ids", "1,x", "--backend", "cpu"), 1,
                "--prompt-ids takes token ids separated by commas, e.g. 1,2,3; 'x' in '1,x' is not one");
    }

    /** Mean -log softmax(logits)[next token] over every position but the last of each row, in double. */
    private static double crossEntropy(int[] ids, int rows, int cols) {
        float[] logits = logits(ids, rows, cols);
        int vocab = CONFIG.paddedVocabSize();
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t + 1 < cols; t++) {
                int at = (r * cols + t) * vocab;
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int v = 0; v < vocab; v++) max = Math.max(max, logits[at + v]);
                for (int v = 0; v < vocab; v++) z += Math.exp(logits[at + v] - max);
                sum += max + Math.log(z) - logits[at + ids[r * cols + t + 1]];
            }
        }
        return sum / (rows * (cols - 1));
    }

    /** Each next token is chosen (as generation does, from one random stream) from the last position's logits over the whole text so far. */
    private static int[] byRereading(int[] prompt, int count, Sampling sampling, long seed) {
        int[] text = Arrays.copyOf(prompt, prompt.length + count);
        int vocab = CONFIG.paddedVocabSize();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = prompt.length; n < text.length; n++) {
            float[] logits = logits(Arrays.copyOf(text, n), 1, n);
            text[n] = sampling.choose(Arrays.copyOfRange(logits, (n - 1) * vocab, n * vocab), random);
        }
        return Arrays.copyOfRange(text, prompt.length, text.length);
    }

    private static float[] logits(int[] ids, int rows, int cols) {
        try (Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            return lm.logits(CPU.fromArray(ids, Shape.of(rows, cols))).toFloatArray();
        }
    }

    private static void write(Path folder, String config, Map<String, Tensor> weights) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), config);
        SafeTensors.write(folder.resolve("model.safetensors"), weights, Map.of("format", "pt"));
    }
}
