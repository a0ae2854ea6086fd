package io.recur.perf;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recur.train.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The rows of `recur bench all` on every backend that ran, with the speedup over the CPU's row for
 * the same suite, as a Markdown table, JSON (the same rows) and a bar chart of the median times.
 */
public record BenchReport(String title, List<Row> rows) {
    /** One suite on one backend; speedupVsCpu is the CPU's median time over this one (null without a CPU row). */
    public record Row(String suite, String backend, String shape, @JsonProperty("median_ms") double medianMs, double throughput,
                      String unit, @JsonProperty("speedup_vs_cpu") Double speedupVsCpu, String note) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** results[i] are the measurements of backends[i], suite by suite in the same order. */
    public static BenchReport of(String title, List<String> backends, List<List<Measurement>> results) {
        int cpu = backends.indexOf("cpu");
        List<Row> rows = new ArrayList<>();
        for (int b = 0; b < backends.size(); b++)
            for (int i = 0; i < results.get(b).size(); i++) {
                Measurement m = results.get(b).get(i);
                Double speedup = cpu < 0 ? null : results.get(cpu).get(i).medianMs() / m.medianMs();
                String note = Double.isNaN(m.baselineRatio()) ? m.baseline()
                        : String.format("%.2fx of %s", m.baselineRatio(), m.baseline());
                rows.add(new Row(m.operation(), backends.get(b), m.shape(), m.medianMs(), m.throughput(), m.unit(), speedup, note));
            }
        return new BenchReport(title, List.copyOf(rows));
    }

    private Set<String> backends() {
        Set<String> names = new LinkedHashSet<>();
        for (Row r : rows) names.add(r.backend());
        return names;
    }

    /** The table; the speedup column only when more than one backend ran. */
    public String markdown() {
        boolean speedup = backends().size() > 1;
        StringBuilder sb = new StringBuilder(title).append("\n\n");
        sb.append("| suite | backend | shape | median ms | throughput |").append(speedup ? " speedup vs cpu |" : "").append(" note |\n");
        sb.append("|---|---|---|---:|---:|").append(speedup ? "---:|" : "").append("---|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %s | %.3f | %s %s |", r.suite(), r.backend(), r.shape(), r.medianMs(), number(r.throughput()), r.unit()));
            if (speedup) sb.append(r.speedupVsCpu() == null ? " |" : String.format(" %.2fx |", r.speedupVsCpu()));
            sb.append(' ').append(r.note()).append(" |\n");
        }
        return sb.toString();
    }

    /** Three significant digits, without an exponent for large values (steps/s run into the millions). */
    public static String number(double v) {
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : String.format("%.3g", v);
    }

    /** bench.json, bench.md and bench.png in dir. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("bench.json"), JSON.writeValueAsString(this) + "\n");
        AtomicFiles.writeString(dir.resolve("bench.md"), markdown());
        plot(dir.resolve("bench.png"));
    }

    /** Median time per suite, one bar per backend, on a log axis (the suites span orders of magnitude). */
    private void plot(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(550).title("recur bench: median time per call (lower is better)")
                .xAxisTitle("suite").yAxisTitle("median ms (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        // bars start at 0 unless told otherwise, which a log axis cannot show
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(rows.stream().mapToDouble(Row::medianMs).min().orElse(1) / 2))));
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (String backend : backends()) {
            List<Row> mine = rows.stream().filter(r -> r.backend().equals(backend)).toList();
            chart.addSeries(backend, mine.stream().map(Row::suite).toList(), mine.stream().map(r -> (Number) r.medianMs()).toList());
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
