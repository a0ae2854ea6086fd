package io.recur.bench;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.RecurrentConfig;
import io.recur.parallel.Method;
import io.recur.parallel.NewtonOptions;
import io.recur.parallel.ParallelEvaluation;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A GRU layer's forward over a whole sequence (batch 16, input 1, torch's init), step by step
 * against Newton's method on the trajectory (DEER, quasi-DEER, ELK, quasi-ELK; tolerance 1e-4,
 * from zeros), on the CPU backend by default (-p backend=cuda on a GPU). Time per forward. A
 * skeleton for the table (T up to 1e6, hidden up to 64): the defaults stay small; pass
 * -p length=… -p hidden=… for more. By hand:
 * <pre>
 *   java … org.openjdk.jmh.Main ParallelGruBenchmark -f 1 -wi 1 -i 3 -p length=1000 -p hidden=4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class ParallelGruBenchmark {
    @Param({"1000", "10000"})
    public int length;

    @Param({"1", "4", "16"})
    public int hidden;

    /** "sequential" or a method key: deer, quasi-deer, elk, quasi-elk. */
    @Param({"sequential", "deer", "quasi-deer"})
    public String evaluation;

    @Param({"cpu"})
    public String backend;

    private static final int BATCH = 16;
    private GRU gru;
    private ParallelEvaluation parallel;
    private Tensor x;

    @Setup
    public void setUp() {
        Backend be = Backends.byName(backend);
        gru = new GRU(new Initializer(be, 1), new RecurrentConfig(1, hidden, 1, true, true));
        if (!evaluation.equals("sequential")) {
            parallel = new ParallelEvaluation(NewtonOptions.of(Method.parse(evaluation)), false);
            gru.evaluation(parallel);
        }
        x = be.allocate(Shape.of(BATCH, length, 1), io.recur.tensor.DType.F32);
        be.randomNormal(x, 2, 0, 0f, 1f);
    }

    @Benchmark
    public float forward() {
        try (Tape.NoGrad off = Tape.noGrad(); io.recur.tensor.Scope step = io.recur.tensor.Scope.open("bench")) {
            Tensor out = gru.forward(x, null).output();
            out.backend().synchronize();
            return out.size();
        }
    }

    @TearDown
    public void tearDown() {
        x.close();
        if (parallel != null) parallel.close();
        gru.close();
    }
}
