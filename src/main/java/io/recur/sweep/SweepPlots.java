package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.train.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG charts: validation curves per configuration (mean over seeds, with a band of ±
 * one sample std where there are two or more), against steps or against training seconds (for
 * equal-wall-time comparisons; x is then the mean elapsed time of the runs evaluated at that step);
 * a finished run that stopped early (target, wall time) counts with its last value after it. The final
 * metric against the tuned key, one line per combination of the other axes; and the steps to the
 * target per configuration.
 */
final class SweepPlots {
    private SweepPlots() {}

    /** Validation metric per configuration against steps, or against seconds when byTime. */
    static void curves(Path png, Aggregation a, boolean byTime) throws IOException {
        XYChart chart = xy("validation " + a.metric().replace('_', ' ') + " (mean ± std over seeds)",
                byTime ? "training seconds" : "step", "validation " + a.metric().replace('_', ' '));
        Color[] colors = chart.getStyler().getSeriesColors();
        Map<String, RunSummary> byName = new LinkedHashMap<>();
        for (RunSummary r : a.runs()) byName.put(r.name(), r);
        int i = 0;
        for (Aggregation.Configuration c : a.configurations()) {
            List<RunSummary> runs = c.runNames().stream().map(byName::get).toList();
            Band b = meanCurve(runs, byTime);
            if (b.x().length == 0) continue;
            Color color = colors[i++ % colors.length];
            band(chart, c.label() + " band", b.x(), b.mean(), b.std(), color);
            XYSeries line = chart.addSeries(c.label(), b.x(), b.mean());
            line.setMarker(SeriesMarkers.CIRCLE);   // also shows a configuration whose runs all stopped at their first evaluation
            line.setLineColor(color);
            line.setMarkerColor(color);
        }
        save(png, chart);
    }

    /** The mean final validation metric against the tuned key's value, one line per combination of the other axes. */
    static boolean versusSelect(Path png, Aggregation a) throws IOException {
        if (a.select() == null) return false;
        Map<String, List<double[]>> lines = new LinkedHashMap<>();   // label → (value, mean, std)
        for (Aggregation.Configuration c : a.configurations()) {
            JsonNode v = c.values().get(a.select());
            if (v == null || !v.isNumber()) return false;
            if (c.finalValidation().mean() == null) continue;
            Map<String, JsonNode> others = new LinkedHashMap<>(c.values());
            others.remove(a.select());
            lines.computeIfAbsent(Aggregation.label(others), k -> new ArrayList<>())
                    .add(new double[] {v.asDouble(), c.finalValidation().mean(), c.finalValidation().std() == null ? 0 : c.finalValidation().std()});
        }
        if (lines.isEmpty()) return false;
        XYChart chart = xy("final validation " + a.metric().replace('_', ' ') + " against " + a.select() + " (mean ± std over seeds)",
                a.select(), "final validation " + a.metric().replace('_', ' '));
        double min = lines.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).min().orElse(1);
        double max = lines.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
        chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 10);
        for (var e : lines.entrySet()) {
            List<double[]> p = e.getValue().stream().sorted(Comparator.comparingDouble(q -> q[0])).toList();
            chart.addSeries(e.getKey(), p.stream().mapToDouble(q -> q[0]).toArray(), p.stream().mapToDouble(q -> q[1]).toArray(),
                    p.stream().mapToDouble(q -> q[2]).toArray()).setMarker(SeriesMarkers.CIRCLE);
        }
        save(png, chart);
        return true;
    }

    /** Mean steps to the target per configuration that reached it at least once; false when none did. */
    static boolean stepsToTarget(Path png, Aggregation a) throws IOException {
        List<Aggregation.Configuration> reached = a.configurations().stream().filter(c -> c.stepsToTarget().mean() != null).toList();
        if (a.threshold() == null || reached.isEmpty()) return false;
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(550)
                .title("steps to validation " + a.metric().replace('_', ' ') + " " + (a.lowerIsBetter() ? "<= " : ">= ") + Stat.number(a.threshold()) + " (mean ± std over the runs that reached it)")
                .xAxisTitle("configuration").yAxisTitle("steps").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.addSeries("steps to target", reached.stream().map(c -> c.label() + " (" + c.reachedTarget() + "/" + c.runNames().size() + ")").toList(),
                reached.stream().map(c -> (Number) c.stepsToTarget().mean()).toList(),
                reached.stream().map(c -> (Number) (c.stepsToTarget().std() == null ? 0.0 : c.stepsToTarget().std())).toList());
        save(png, chart);
        return true;
    }

    /** A curve's mean and sample std (0 where undefined) at each x. */
    record Band(double[] x, double[] mean, double[] std) {}

    /** The mean curve of some runs (failed ones left out) at every step any of them evaluated. */
    static Band meanCurve(List<RunSummary> all, boolean byTime) {
        List<RunSummary> runs = all.stream().filter(r -> !RunResult.FAILED.equals(r.status()) && r.curve().steps().length > 0).toList();
        TreeSet<Long> steps = new TreeSet<>();
        for (RunSummary r : runs) for (long step : r.curve().steps()) steps.add(step);
        int n = steps.size();
        double[] x = new double[n], mean = new double[n], std = new double[n];
        int j = 0;
        for (long step : steps) {
            List<Double> values = new ArrayList<>(), seconds = new ArrayList<>();
            for (RunSummary r : runs) {
                long[] at = r.curve().steps();
                int k = lastAtOrBefore(at, step);
                // a finished run that stopped early (at the target or its wall time) keeps its last value
                if (k < 0 || (step > at[at.length - 1] && !r.finished())) continue;
                values.add(r.curve().values()[k]);
                if (at[k] == step) seconds.add(r.curve().seconds()[k]);
            }
            Stat value = Stat.of(values);
            x[j] = byTime ? Stat.of(seconds).mean() : step;
            mean[j] = value.mean();
            std[j++] = value.std() == null ? 0 : value.std();
        }
        return new Band(x, mean, std);
    }

    /** The index of the last entry <= step in ascending steps, or -1. */
    private static int lastAtOrBefore(long[] steps, long step) {
        int k = -1;
        while (k + 1 < steps.length && steps[k + 1] <= step) k++;
        return k;
    }

    /** mean ± std as a filled polygon in a pale version of the line's colour, left out of the legend. */
    private static void band(XYChart chart, String name, double[] x, double[] mean, double[] std, Color color) {
        int n = x.length;
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = mean[i] + std[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = mean[i] - std[i];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
        s.setLineColor(new Color(0, 0, 0, 0));
        s.setShowInLegend(false);
    }

    private static XYChart xy(String title, String xLabel, String yLabel) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(550).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    private static void save(Path png, Chart<?, ?> chart) throws IOException {
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
