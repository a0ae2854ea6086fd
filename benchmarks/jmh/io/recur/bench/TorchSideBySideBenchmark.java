package io.recur.bench;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Embedding;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.LSTM;
import io.recur.nn.Linear;
import io.recur.nn.Module;
import io.recur.nn.RMSNorm;
import io.recur.nn.RecurrentConfig;
import io.recur.nn.TorchRecurrent;
import io.recur.nn.mamba.MambaConfig;
import io.recur.nn.mamba.MambaMixer;
import io.recur.ops.Arith;
import io.recur.ops.Loss;
import io.recur.ops.Reduce;
import io.recur.optim.AdamW;
import io.recur.optim.ParameterGroup;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recur's half of benchmarks/torch_side_by_side.sh, which runs the same workloads in PyTorch
 * beside it (torch_side_by_side.py there): keep the sizes of the two in step.
 * <ul>
 *   <li>lstm-step: a training step of linear in (32 features) → one LSTM layer (hidden 128) →
 *       linear head (10 classes) → cross entropy at every position → backward → AdamW; batch 32, T 128.
 *   <li>mamba-block: x + mixer(RMSNorm(x)) of one Mamba block (d_model 64, d_state 16, expand 2),
 *       forward and the backward of the output's sum; batch 4, L 256.
 *   <li>charlm-lstm, charlm-gru: a char-LM training step, embedding (vocabulary 256) → one LSTM or
 *       GRU layer (hidden 128) → head (256) → next-character cross entropy → backward → AdamW; batch 32, T 128.
 * </ul>
 * One call is one step; the inputs are fixed random data made at setup.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class TorchSideBySideBenchmark {
    @Param({"lstm-step", "mamba-block", "charlm-lstm", "charlm-gru"})
    public String workload;

    static final int BATCH = 32, LENGTH = 128, HIDDEN = 128, FEATURES = 32, CLASSES = 10, VOCAB = 256;
    static final int MAMBA_BATCH = 4, MAMBA_LENGTH = 256, MAMBA_D_MODEL = 64;
    static final double LEARNING_RATE = 1e-3, WEIGHT_DECAY = 0.01;   // torch.optim.AdamW's default decay

    private Backend be;
    private final List<Module> modules = new ArrayList<>();
    private Layer input;
    private TorchRecurrent recurrent;
    private Linear head;
    private RMSNorm norm;
    private MambaMixer mixer;
    private AdamW adam;
    private Tensor x, targets;

    /** The input end of a training step: a projection of features or an embedding of ids. */
    private interface Layer { Tensor forward(Tensor in); }

    @Setup
    public void setUp() {
        be = Backends.cpu();
        Initializer init = new Initializer(be, 1);
        Random random = new Random(7);
        switch (workload) {
            case "mamba-block" -> {
                MambaConfig config = MambaConfig.of(MAMBA_D_MODEL, 1, 1);
                mixer = own(new MambaMixer(init, config));
                norm = own(new RMSNorm(init, MAMBA_D_MODEL, MambaConfig.NORM_EPS));
                x = be.allocate(Shape.of(MAMBA_BATCH, MAMBA_LENGTH, MAMBA_D_MODEL), DType.F32);
                be.randomNormal(x, 2, 0, 0f, 1f);
            }
            case "lstm-step" -> {
                Linear in = own(new Linear(init, FEATURES, HIDDEN, true));
                input = in::forward;
                recurrent = own(new LSTM(init, new RecurrentConfig(HIDDEN, HIDDEN, 1, true, true)));
                head = own(new Linear(init, HIDDEN, CLASSES, true));
                x = be.allocate(Shape.of(BATCH, LENGTH, FEATURES), DType.F32);
                be.randomNormal(x, 2, 0, 0f, 1f);
                targets = be.fromArray(randomIds(random, CLASSES), Shape.of(BATCH, LENGTH));
            }
            case "charlm-lstm", "charlm-gru" -> {
                Embedding in = own(new Embedding(init, VOCAB, HIDDEN));
                input = in::forward;
                RecurrentConfig config = new RecurrentConfig(HIDDEN, HIDDEN, 1, true, true);
                recurrent = own(workload.endsWith("lstm") ? new LSTM(init, config) : new GRU(init, config));
                head = own(new Linear(init, HIDDEN, VOCAB, true));
                // a random text: the inputs are characters 0..T-1, the targets characters 1..T
                int[] text = randomIds(random, VOCAB), ids = new int[BATCH * LENGTH], next = new int[BATCH * LENGTH];
                for (int b = 0; b < BATCH; b++)
                    for (int t = 0; t < LENGTH; t++) {
                        ids[b * LENGTH + t] = text[(b * LENGTH + t) % text.length];
                        next[b * LENGTH + t] = text[(b * LENGTH + t + 1) % text.length];
                    }
                x = be.fromArray(ids, Shape.of(BATCH, LENGTH));
                targets = be.fromArray(next, Shape.of(BATCH, LENGTH));
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload + "; use lstm-step, mamba-block, charlm-lstm or charlm-gru");
        }
        if (head != null) {
            Map<String, Tensor> named = new LinkedHashMap<>();
            for (Module m : modules) for (Tensor p : m.parameters()) named.put(Integer.toString(named.size()), p);
            adam = new AdamW(List.of(new ParameterGroup("all", named, WEIGHT_DECAY)), AdamW.Settings.defaults());
        }
    }

    private <M extends Module> M own(M module) {
        modules.add(module);
        return module;
    }

    private static int[] randomIds(Random random, int bound) {
        int[] ids = new int[BATCH * LENGTH];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(bound);
        return ids;
    }

    @Benchmark
    public float step() {
        try (Scope step = Scope.open("bench")) {
            Tensor loss;
            if (mixer != null) {
                loss = Reduce.sum(Arith.add(x, mixer.forward(norm.forward(x), null).output()));
            } else {
                Tensor hidden = recurrent.forward(input.forward(x), null).output();
                loss = Loss.crossEntropy(head.forward(hidden), targets);
            }
            Tape.backward(loss);
            if (adam != null) adam.step(LEARNING_RATE);
            be.synchronize();
            return modules.size();
        } finally {
            Tape.clear();
            modules.forEach(Module::zeroGrad);
        }
    }

    @TearDown
    public void tearDown() {
        if (adam != null) adam.close();
        if (targets != null) targets.close();
        x.close();
        modules.forEach(Module::close);
        modules.clear();
    }
}
