package io.recur.cli;

import io.recur.backend.Backend;
import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import io.recur.perf.BenchReport;
import io.recur.perf.BenchSuites;
import io.recur.perf.EPropMemory;
import io.recur.perf.KernelSuite;
import io.recur.perf.KernelSuites;
import io.recur.perf.Measurement;
import io.recur.perf.Stopwatch;
import io.recur.train.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `recur bench`: all times every kernel family on every available backend (bench.json, bench.md and
 * bench.png with --out DIR); sgemm and scan time one operation at several sizes on one backend (a
 * Markdown file with --out); eprop-memory measures the peak memory of BPTT and e-prop against the
 * sequence length.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "all: time every kernel family (GEMM, scans, selective scan, RG-LRU, conv1d, "
        + "Shampoo roots, DEER, e-prop step) on every available backend, with the speedup over the CPU; --out DIR writes bench.json, bench.md and bench.png. "
        + "sgemm, scan: one operation at several sizes on one backend; scans are compared with a copy of the same data. "
        + "eprop-memory: peak tensor memory of one LSNN gradient with BPTT and with e-prop against the length (CPU; with --out, a PNG beside the table).")
final class BenchCommand implements Callable<Integer> {
    enum Suite { sgemm, scan, all, eprop_memory }

    @Spec CommandSpec spec;

    @Parameters(index = "0", defaultValue = "all", description = "all, sgemm, scan or eprop-memory (default: ${DEFAULT-VALUE})")
    String suiteName;

    @Option(names = "--backend", defaultValue = "auto", description = "cpu, cuda, cuda-sim or auto; for all also a comma-separated list, "
            + "and auto means every available backend (default: ${DEFAULT-VALUE})")
    String backendName;

    @Option(names = "--suites", split = ",", description = "all: only these kernel suites, e.g. sgemm,rg-lru (default: every one)")
    List<String> kernelSuites;

    @Option(names = "--quick", description = "all: tiny sizes, to check that every suite runs")
    boolean quick;

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

    @Option(names = "--out", description = "all: also write bench.json, bench.md and bench.png into this directory; "
            + "otherwise also write the table as Markdown to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        Suite suite = parseSuite(suiteName);
        if (suite == Suite.eprop_memory) return epropMemory();
        if (suite == Suite.all) return kernels();
        Backend backend = Backends.byName(backendName);
        int[][] shapes = parseShapes(scanShapes);
        Stopwatch watch = new Stopwatch(2, repetitions);
        int total = suite == Suite.sgemm ? sizes.length : shapes.length;
        List<Measurement> rows = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).build()) {
            if (suite == Suite.sgemm) rows.addAll(BenchSuites.sgemm(backend, watch, sizes, bar::step));
            else rows.addAll(BenchSuites.scan(backend, watch, shapes, bar::step));
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

    private Integer kernels() throws Exception {
        List<KernelSuite> suites = selectedSuites();
        List<String> names = backendNames();
        List<List<Measurement>> results = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        Stopwatch watch = new Stopwatch(quick ? 1 : 2, repetitions);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("bench all").setInitialMax((long) suites.size() * names.size())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" suites", 1).build()) {
            for (String name : names) {
                Backend backend = Backends.byName(name);
                descriptions.add(name + ": " + backend.description());
                List<Measurement> rows = new ArrayList<>();
                for (KernelSuite s : suites) {
                    rows.add(s.run(backend, watch, quick));
                    bar.step();
                }
                results.add(rows);
            }
        }
        BenchReport report = BenchReport.of("recur bench all" + (quick ? " --quick" : "") + ", median of " + repetitions + " on "
                + String.join("; ", descriptions) + ", " + Instant.now(), names, results);
        PrintWriter console = spec.commandLine().getOut();
        console.print(report.markdown());
        console.flush();
        if (out != null) report.write(out);
        return 0;
    }

    private List<KernelSuite> selectedSuites() {
        if (kernelSuites == null) return KernelSuites.ALL;
        List<KernelSuite> chosen = new ArrayList<>();
        for (String wanted : kernelSuites)
            chosen.add(KernelSuites.ALL.stream().filter(s -> s.name().replace(' ', '-').equalsIgnoreCase(wanted.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown kernel suite '" + wanted + "': use " + KernelSuites.ALL.stream()
                            .map(s -> s.name().replace(' ', '-')).collect(Collectors.joining(", ")))));
        return chosen;
    }

    /** The backends named, or with auto every available one (the CPU always, CUDA when a GPU answers). */
    private List<String> backendNames() {
        if (!backendName.equalsIgnoreCase("auto")) return Arrays.stream(backendName.split(",")).map(String::trim).toList();
        return Backends.statuses().stream().filter(BackendStatus::available).map(BackendStatus::name).toList();
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
