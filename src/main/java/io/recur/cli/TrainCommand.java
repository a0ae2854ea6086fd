package io.recur.cli;

import io.recur.train.RunConfig;
import io.recur.train.RunConfigs;
import io.recur.train.Tasks;
import io.recur.train.Trainer;
import io.recur.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `recur train`: every option that is given overrides --config's value, which overrides the
 * default (or, with --resume, the run's saved config). Option names are the config keys with dashes.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = RunDefaults.class,
        description = {"Train a recurrent model on a task; writes metrics.jsonl, curves.png and checkpoint/ to --out.",
                "Without options: a small Mamba learns selective copying on the CPU in a few minutes."})
final class TrainCommand implements Callable<Integer> {
    /** Options that steer the command rather than describe the run. */
    private static final Set<String> NOT_RUN_KEYS = Set.of("config", "resume", "out");

    @Spec CommandSpec spec;

    @Option(names = "--model", description = "lstm, gru, lru, mamba, mamba-lti, hawk or griffin (whole language models on token tasks, backbones on the others), or lsnn (a spiking network of d_model LIF and ALIF neurons, one layer, feature tasks) (default: ${DEFAULT-VALUE})") String model;
    @Option(names = "--task", description = "selective-copying, induction-heads, mqar, adding, parity, bytes:FILE, smnist, psmnist, evidence, store-recall (default: ${DEFAULT-VALUE})") String task;
    @Option(names = "--learning", description = "how gradients are computed: bptt, or e-prop for --model lsnn: eprop-symmetric, eprop-random, eprop-adaptive (default: ${DEFAULT-VALUE})") String learning;
    @Option(names = "--rate-reg", description = "e-prop: coefficient of firing-rate regularisation, loss += c · Σ_j (rate_j − target)², 0 for none (default: ${DEFAULT-VALUE})") Double rateReg;
    @Option(names = "--target-rate", description = "e-prop: the firing rate --rate-reg pulls each neuron toward, in Hz (default: ${DEFAULT-VALUE})") Double targetRate;
    @Option(names = "--d-model", description = "model width (default: ${DEFAULT-VALUE})") Integer dModel;
    @Option(names = "--n-layer", description = "residual blocks (default: ${DEFAULT-VALUE})") Integer nLayer;
    @Option(names = "--state-size", description = "recurrent state per layer where the model has its own (LRU's N, Mamba's d_state; default: ${DEFAULT-VALUE})") Integer stateSize;
    @Option(names = "--tie-embeddings", arity = "0..1", description = "output head shares the embedding (token tasks whose outputs are the vocabulary; default: ${DEFAULT-VALUE})") Boolean tieEmbeddings;
    @Option(names = "--seq-len", description = "sequence length, 0 for the task's (selective copying: " + Tasks.COPY_LENGTH + ", bytes: " + Tasks.BYTES_LENGTH + "; smnist: 784, a divisor reads 784/seq_len pixels per step, 28 is row by row) (default: ${DEFAULT-VALUE})") Integer seqLen;
    @Option(names = "--vocab", description = "vocabulary of synthetic token tasks, 0 for the task's (selective copying: " + Tasks.COPY_VOCAB + ") (default: ${DEFAULT-VALUE})") Integer vocab;
    @Option(names = "--items", description = "tokens to copy (selective copying: " + Tasks.COPY_ITEMS + ") or key-value pairs (mqar: 8), 0 for the task's (default: ${DEFAULT-VALUE})") Integer items;
    @Option(names = "--optimizer", description = "adamw, sgd, shampoo or soap (default: ${DEFAULT-VALUE})") String optimizer;
    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})") Double lr;
    @Option(names = "--min-lr-ratio", description = "final learning rate of the cosine decay, as a fraction of --lr (default: ${DEFAULT-VALUE})") Double minLrRatio;
    @Option(names = "--weight-decay", description = "decoupled weight decay of matrices (default: ${DEFAULT-VALUE})") Double weightDecay;
    @Option(names = "--momentum", description = "SGD and Shampoo momentum (default: ${DEFAULT-VALUE})") Double momentum;
    @Option(names = "--nesterov", arity = "0..1", description = "SGD and Shampoo with Nesterov momentum (default: ${DEFAULT-VALUE})") Boolean nesterov;
    @Option(names = "--precondition-frequency", description = "Shampoo and SOAP: steps between inverse roots / eigenbases, 0 for the optimizer's (default: ${DEFAULT-VALUE})") Integer preconditionFrequency;
    @Option(names = "--max-block-size", description = "Shampoo and SOAP: largest preconditioned block side; larger dimensions are cut, 0 for the optimizer's (default: ${DEFAULT-VALUE})") Integer maxBlockSize;
    @Option(names = "--warmup", description = "linear warmup steps before the cosine decay (default: ${DEFAULT-VALUE})") Integer warmup;
    @Option(names = "--steps", description = "training steps (default: ${DEFAULT-VALUE})") Integer steps;
    @Option(names = "--batch-size", description = "sequences per step (default: ${DEFAULT-VALUE})") Integer batchSize;
    @Option(names = "--clip", description = "global gradient-norm limit, 0 for none (default: ${DEFAULT-VALUE})") Double clip;
    @Option(names = "--seed", description = "seed of the weights and the data (default: ${DEFAULT-VALUE})") Long seed;
    @Option(names = "--eval-interval", description = "steps between validations and checkpoints (default: ${DEFAULT-VALUE})") Integer evalInterval;
    @Option(names = "--eval-batches", description = "validation batches per evaluation (default: ${DEFAULT-VALUE})") Integer evalBatches;
    @Option(names = "--log-interval", description = "steps between lines of metrics.jsonl (default: ${DEFAULT-VALUE})") Integer logInterval;
    @Option(names = "--target", description = "stop when the validation metric reaches this (accuracy >=, MSE <=)") Double target;
    @Option(names = "--max-seconds", description = "stop (with a validation and a checkpoint) after the first step that ends past this much training time") Double maxSeconds;
    @Option(names = "--evaluation", description = "how GRU and LSTM layers run over time: sequential, or in parallel by Newton's method: deer, quasi-deer, elk, quasi-elk (default: ${DEFAULT-VALUE})") String evaluation;
    @Option(names = "--damping", description = "elk and quasi-elk: λ, the Levenberg–Marquardt weight (1/σ²); small keeps Newton's speed, large takes safer, shorter steps; 0 for the solver's 1e-6 (default: ${DEFAULT-VALUE})") Double damping;
    @Option(names = "--newton-tolerance", description = "parallel evaluation: stop at max |Δh| (deer, quasi-deer) or max |f(h) − h| (elk, quasi-elk) below this; 0 for the solver's 1e-4 (default: ${DEFAULT-VALUE})") Double newtonTolerance;
    @Option(names = "--newton-iterations", description = "parallel evaluation: most Newton iterations per solve (deer and quasi-deer also stop at T); 0 for the solver's 1000 (default: ${DEFAULT-VALUE})") Integer newtonIterations;
    @Option(names = "--backend", description = "cpu, cuda, cuda-sim or auto (default: ${DEFAULT-VALUE})") String backend;
    @Option(names = "--config", description = "JSON or YAML (.yaml, .yml) file of settings (keys as the options, with underscores: d_model, batch_size, ...)") Path config;
    @Option(names = "--out", defaultValue = "train-out", description = "output folder (default: ${DEFAULT-VALUE})") Path out;
    @Option(names = "--resume", description = "continue the run whose checkpoint is in --out (pass a larger --steps to extend it)") boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        RunConfig base = resume ? TrainingRun.savedConfig(out) : RunConfig.defaults();
        RunConfig run = RunConfigs.merge(base, config, givenOptions());
        long start = System.nanoTime();
        TrainingRun.Outcome outcome;
        try (TrainProgress progress = new TrainProgress(run.steps())) {
            java.util.function.Consumer<String> announce = line -> { console.println("train: " + line); console.flush(); };
            outcome = resume ? TrainingRun.resume(run, out, progress, announce) : TrainingRun.start(run, out, progress, announce);
        }
        Trainer.Result r = outcome.result();
        console.println(TrainProgress.summary(r, run, (System.nanoTime() - start) / 1e9));
        console.printf("wrote %s, %s and %s/%n", out.resolve("metrics.jsonl"), out.resolve(Trainer.PLOT), out.resolve(Trainer.CHECKPOINT));
        return 0;
    }

    /** The options the user typed, as config keys. */
    private Map<String, Object> givenOptions() {
        Map<String, Object> given = new LinkedHashMap<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String key = RunConfigs.snake(o.longestName());
            if (!NOT_RUN_KEYS.contains(key)) given.put(key, o.getValue());
        }
        return given;
    }
}
