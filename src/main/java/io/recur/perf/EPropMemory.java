package io.recur.perf;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.cpu.CpuBackend;
import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.data.Split;
import io.recur.data.SyntheticTask;
import io.recur.data.synthetic.EvidenceAccumulation;
import io.recur.learn.EProp;
import io.recur.learn.EPropDevice;
import io.recur.learn.LsnnWeights;
import io.recur.learn.OutputErrors;
import io.recur.learn.RateRegularizer;
import io.recur.nn.Initializer;
import io.recur.nn.ModelConfig;
import io.recur.models.Models;
import io.recur.nn.SequenceModel;
import io.recur.snn.Lsnn;
import io.recur.snn.LsnnConfig;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.train.AtomicFiles;
import io.recur.train.TaskLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Peak tensor memory of one gradient computation on the same LSNN, against the sequence length T:
 * BPTT (forward recorded on the tape, then its backward) and e-prop ({@link EPropDevice}: the fused
 * step a GPU runs, here the CPU backend's reference of it). Each is measured on a fresh CPU backend,
 * whose allocator records the peak of live bytes, as that peak minus what was live before: the
 * weights and the input batch, which both hold, are not counted; gradients, saved activations,
 * traces and outputs are.
 */
public final class EPropMemory {
    /** One length: peak bytes above the weights and inputs for each rule. */
    public record Row(int length, long bpttBytes, long epropBytes) {}

    private EPropMemory() {}

    /** Evidence-accumulation batches of each length through an LSNN of {@code neurons} neurons (half ALIF). */
    public static List<Row> measure(int neurons, int batchSize, int[] lengths, long seed, Runnable afterEach) {
        List<Row> rows = new ArrayList<>();
        for (int length : lengths) {
            Batch batch = new SyntheticTask(new EvidenceAccumulation(length), seed).batch(Split.TRAIN, 0, batchSize);
            ModelConfig config = new ModelConfig(Lsnn.MODEL_TYPE, neurons, 1, 1, 0, EvidenceAccumulation.CHANNELS, 2, false, 1e-5);
            rows.add(new Row(length, bptt(config, batch, seed), eprop(config, batch, seed)));
            afterEach.run();
        }
        return rows;
    }

    private static long bptt(ModelConfig config, Batch batch, long seed) {
        Backend backend = new CpuBackend();
        try (SequenceModel model = Models.create(config, new Initializer(backend, seed)); Scope s = Scope.open("bptt memory")) {
            Tensor inputs = batch.inputs(backend);
            long before = backend.memoryStats().liveBytes();
            Tape.backward(TaskLoss.mean(model.forward(inputs), batch));
            return backend.memoryStats().peakBytes() - before;
        }
    }

    private static long eprop(ModelConfig config, Batch batch, long seed) {
        Backend backend = new CpuBackend();
        try (SequenceModel model = Models.create(config, new Initializer(backend, seed)); Scope s = Scope.open("e-prop memory")) {
            Tensor inputs = batch.inputs(backend);   // not read (e-prop uploads each step's row), held to match BPTT
            LsnnConfig c = Lsnn.configFor(config);
            Map<String, Tensor> params = model.namedParameters();
            LsnnWeights w = LsnnWeights.of(params, c);
            float[] x = ((Inputs.Features) batch.inputs()).values();
            long before = backend.memoryStats().liveBytes();
            EProp.Result r = EPropDevice.run(backend, c, w, x, batch.size(), batch.spec().sequenceLength(), EProp.symmetricFeedback(c, w),
                    OutputErrors.of(batch), RateRegularizer.NONE);
            r.gradients().installAsGradients(params);
            inputs.close();
            return backend.memoryStats().peakBytes() - before;
        }
    }

    /** A Markdown table of the rows, in MiB. */
    public static String table(String heading, List<Row> rows) {
        StringBuilder sb = new StringBuilder(heading).append("\n\n");
        sb.append("| T | BPTT peak MiB | e-prop peak MiB | BPTT / e-prop |\n|---:|---:|---:|---:|\n");
        for (Row r : rows)
            sb.append(String.format("| %d | %.2f | %.3f | %.1f |%n", r.length(), mib(r.bpttBytes()), mib(r.epropBytes()),
                    (double) r.bpttBytes() / r.epropBytes()));
        return sb.toString();
    }

    /** Both peaks against T as a PNG line chart. */
    public static void plot(Path png, List<Row> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] t = rows.stream().mapToDouble(Row::length).toArray();
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Peak tensor memory of one gradient, LSNN")
                .xAxisTitle("sequence length T (steps)").yAxisTitle("MiB above weights and inputs").build();
        chart.addSeries("BPTT (tape)", t, rows.stream().mapToDouble(r -> mib(r.bpttBytes())).toArray());
        chart.addSeries("e-prop", t, rows.stream().mapToDouble(r -> mib(r.epropBytes())).toArray());
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static double mib(long bytes) { return bytes / (1024.0 * 1024.0); }
}
