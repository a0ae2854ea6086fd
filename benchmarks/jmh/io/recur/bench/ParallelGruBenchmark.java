package io.recur.bench;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.RecurrentConfig;
import io.recur.ops.Reduce;
import io.recur.parallel.Method;
import io.recur.parallel.NewtonOptions;
import io.recur.parallel.ParallelEvaluation;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Locale;
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
 * A GRU layer (batch 16, input 1, torch's init) over a whole sequence, step by step against
 * Newton's method on the trajectory (DEER, quasi-DEER, ELK, quasi-ELK; tolerance 1e-4, from
 * zeros): the forward alone, or the forward and the backward of the outputs' sum. On the CPU
 * backend by default (-p backend=cuda on a GPU). One call per measurement (the long sequences take
 * seconds). After the measurements each trial prints one line starting "PARALLEL-GRU" with the mean
 * Newton iterations per call and the backend's peak memory of a call beyond what the setup holds
 * (the CPU backend counts every storage, so this is the call's working set); benchmarks/deer_cpu.sh
 * collects them into the table. By hand:
 * <pre>
 *   java … org.openjdk.jmh.Main ParallelGruBenchmark -f 1 -wi 1 -i 3 -p length=1000 -p hidden=4
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx12g"})
public class ParallelGruBenchmark {
    @Param({"1000", "10000"})
    public int length;

    @Param({"1", "4", "16"})
    public int hidden;

    /** "sequential" or a method key: deer, quasi-deer, elk, quasi-elk. */
    @Param({"sequential", "deer", "quasi-deer"})
    public String evaluation;

    /** "forward", or "forwardBackward" (the forward recorded on the tape, then the backward of the outputs' sum). */
    @Param({"forward", "forwardBackward"})
    public String pass;

    @Param({"cpu"})
    public String backend;

    static final int BATCH = 16;
    private Backend be;
    private GRU gru;
    private ParallelEvaluation parallel;
    private Tensor x;
    private long setupBytes;

    @Setup
    public void setUp() {
        be = Backends.byName(backend);
        gru = new GRU(new Initializer(be, 1), new RecurrentConfig(1, hidden, 1, true, true));
        if (!evaluation.equals("sequential")) {
            parallel = new ParallelEvaluation(NewtonOptions.of(Method.parse(evaluation)), false);
            gru.evaluation(parallel);
        }
        x = be.allocate(Shape.of(BATCH, length, 1), DType.F32);
        be.randomNormal(x, 2, 0, 0f, 1f);
        setupBytes = be.memoryStats().liveBytes();
    }

    @Benchmark
    public float run() {
        if (pass.equals("forward")) {
            try (Tape.NoGrad off = Tape.noGrad(); Scope step = Scope.open("bench")) {
                Tensor out = gru.forward(x, null).output();
                out.backend().synchronize();
                return out.size();
            }
        }
        try (Scope step = Scope.open("bench")) {
            Tape.backward(Reduce.sum(gru.forward(x, null).output()));
            be.synchronize();
            return gru.namedParameters().size();
        } finally {
            Tape.clear();
            gru.zeroGrad();
        }
    }

    @TearDown
    public void tearDown() {
        // the peak is the largest live total since the backend was made: every call is alike, so it is one call's
        long peak = be.memoryStats().peakBytes() - setupBytes;
        double iterations = parallel == null ? 0 : parallel.statistics().meanIterations();
        long notConverged = parallel == null ? 0 : parallel.statistics().notConverged();
        System.out.printf(Locale.ROOT, "%nPARALLEL-GRU %s %d %d %s iterations=%.2f notConverged=%d peakBytes=%d%n",
                evaluation, length, hidden, pass, iterations, notConverged, peak);
        x.close();
        if (parallel != null) parallel.close();
        gru.close();
    }
}
