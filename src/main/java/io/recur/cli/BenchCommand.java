package io.recur.cli;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.perf.BenchSuites;
import io.recur.perf.EPropMemory;
import io.recur.perf.Measurement;
import io.recur.perf.Stopwatch;
import io.recur.train.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `recur bench`: times core operations on one backend and prints a table (Markdown with --out); or
 * (eprop-memory) measures the peak memory of BPTT and e-prop against the sequence length.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time SGEMM and the linear scan on a backend; scans are compared with a copy of the same data. "
        + "eprop-memory: peak tensor memory of one LSNN gradient with BPTT and with e-prop against the length (CPU; with --out, a PNG beside the table).")
final class BenchCommand implements Callable<Integer> {
    enum Suite { sgemm, scan, all, eprop_memory }

    @Spec CommandSpec spec;

    @Parameters(index = "0", defaultValue = "all", description = "sgemm, scan, all (both) or eprop-memory (default: ${DEFAULT-VALUE})")
    String suiteName;

    @Option(names = "--backend", defaultValue = "auto", description = "cpu, cuda, cuda-sim or auto (default: ${DEFAULT-VALUE})")
    String backendName;

    @Option(names = "--sizes", split = ",", defaultValue = "256,1024,2048", description = "SGEMM sizes (default: ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--scan-shapes", split = ",", defaultValue = "8x1536x1024,8x1536x4096,1x64x100000,1x64x1000000",
            description = "scan shapes BxDxT (default: ${DEFAULT-VALUE})")
    String[] scanShapes;

    @Option(names = "--repetitions", defaultValue = "5", description = "timed runs per row; the median is reported (default: ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--lengths", split = ",", defaultValue = "250,500,1000,2000,4000", description = "eprop-memory: sequence lengths T (default: ${DEFAULT-VALUE})")
    int[] lengths;

    @Option(names = "--neurons", defaultValue = "100", description = "eprop-memory: LSNN neurons, half LIF and half ALIF (default: ${DEFAULT-VALUE})")
    int neurons;

    @Option(names = "--batch-size", defaultValue = "8", description = "eprop-memory: sequences per gradient (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--out", description = "also write the table as Markdown to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        Suite suite = parseSuite(suiteName);
        if (suite == Suite.eprop_memory) return epropMemory();
        Backend backend = Backends.byName(backendName);
        int[][] shapes = parseShapes(scanShapes);
        Stopwatch watch = new Stopwatch(2, repetitions);
        int total = (suite != Suite.scan ? sizes.length : 0) + (suite != Suite.sgemm ? shapes.length : 0);
        List<Measurement> rows = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).build()) {
            if (suite != Suite.scan) rows.addAll(BenchSuites.sgemm(backend, watch, sizes, bar::step));
            if (suite != Suite.sgemm) rows.addAll(BenchSuites.scan(backend, watch, shapes, bar::step));
        }
        String table = table(backend, rows);
        PrintWriter console = spec.commandLine().getOut();
        console.print(table);
        console.flush();
        if (out != null) AtomicFiles.writeString(out, table);
        return 0;
    }

    private static Suite parseSuite(String name) {
        for (Suite s : Suite.values()) if (s.name().replace('_', '-').equalsIgnoreCase(name)) return s;
        throw new IllegalArgumentException("unknown bench suite '" + name + "': use sgemm, scan, all or eprop-memory");
    }

    private Integer epropMemory() throws Exception {
        List<EPropMemory.Row> rows;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("eprop-memory").setInitialMax(lengths.length)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" lengths", 1).build()) {
            rows = EPropMemory.measure(neurons, batchSize, lengths, 1, bar::step);
        }
        String table = EPropMemory.table(String.format("recur bench eprop-memory: LSNN of %d neurons (half ALIF), evidence accumulation, batch %d, "
                + "peak tensor memory of one gradient on the CPU above the weights and inputs, %s", neurons, batchSize, Instant.now()), rows);
        PrintWriter console = spec.commandLine().getOut();
        console.print(table);
        console.flush();
        if (out != null) {
            AtomicFiles.writeString(out, table);
            EPropMemory.plot(out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + ".png"), rows);
        }
        return 0;
    }

    static int[][] parseShapes(String[] specs) {
        int[][] shapes = new int[specs.length][];
        for (int i = 0; i < specs.length; i++) {
            String[] p = specs[i].trim().split("x");
            if (p.length != 3) throw new IllegalArgumentException("scan shape '" + specs[i] + "' must be BxDxT, e.g. 8x1536x4096");
            shapes[i] = new int[3];
            for (int j = 0; j < 3; j++) {
                shapes[i][j] = Integer.parseInt(p[j]);
                if (shapes[i][j] < 1) throw new IllegalArgumentException("scan shape '" + specs[i] + "' needs positive sizes");
            }
        }
        return shapes;
    }

    private String table(Backend backend, List<Measurement> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("recur bench on ").append(backend.description()).append(", ").append(Instant.now()).append("\n\n");
        sb.append("| operation | shape | median ms | throughput | vs baseline |\n|---|---|---:|---:|---|\n");
        for (Measurement m : rows) {
            String ratio = Double.isNaN(m.baselineRatio()) ? "" : String.format("%.2fx of %s", m.baselineRatio(), m.baseline());
            sb.append(String.format("| %s | %s | %.3f | %.1f %s | %s |%n", m.operation(), m.shape(), m.medianMs(), m.throughput(), m.unit(), ratio));
        }
        return sb.toString();
    }
}
