package io.recur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Time against T (log-log) from ParallelGruBenchmark's JMH JSON files, one PNG per pass: a colour
 * per evaluation method, a marker and dash per hidden size. Used by benchmarks/deer_cpu.sh:
 * <pre>
 *   java … io.recur.bench.ParallelGruChart OUT_PREFIX jmh-1.json jmh-2.json …
 * </pre>
 * writes OUT_PREFIX-forward.png and OUT_PREFIX-forward-backward.png.
 */
public final class ParallelGruChart {
    private static final List<String> METHODS = List.of("sequential", "deer", "quasi-deer", "elk", "quasi-elk");
    private static final Color[] COLORS = {Color.BLACK, new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP};
    private static final float[][] DASHES = {null, {6f, 4f}, {2f, 3f}, {10f, 3f, 2f, 3f}};

    private ParallelGruChart() {}

    public static void main(String[] args) throws IOException {
        // pass → method → hidden → T → ms
        Map<String, Map<String, Map<Integer, TreeMap<Integer, Double>>>> ms = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 1; i < args.length; i++)
            for (JsonNode r : json.readTree(Path.of(args[i]).toFile())) {
                JsonNode p = r.get("params");
                ms.computeIfAbsent(p.get("pass").asText(), k -> new TreeMap<>())
                        .computeIfAbsent(p.get("evaluation").asText(), k -> new TreeMap<>())
                        .computeIfAbsent(p.get("hidden").asInt(), k -> new TreeMap<>())
                        .put(p.get("length").asInt(), r.get("primaryMetric").get("score").asDouble());
            }
        for (var pass : ms.entrySet()) {
            String name = pass.getKey().equals("forward") ? "forward" : "forward-backward";
            save(Path.of(args[0] + "-" + name + ".png"), chart(name.replace('-', ' '), pass.getValue()));
        }
    }

    private static XYChart chart(String pass, Map<String, Map<Integer, TreeMap<Integer, Double>>> byMethod) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(550)
                .title("GRU layer " + pass + ", batch 16, CPU backend on 2 cores (JMH)")
                .xAxisTitle("sequence length T").yAxisTitle("ms per call").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        List<Integer> hiddens = byMethod.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        for (String method : METHODS) {
            Map<Integer, TreeMap<Integer, Double>> byHidden = byMethod.get(method);
            if (byHidden == null) continue;
            for (var h : byHidden.entrySet()) {
                int k = hiddens.indexOf(h.getKey());
                XYSeries s = chart.addSeries(method + ", n=" + h.getKey(),
                        h.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                        h.getValue().values().stream().mapToDouble(Double::doubleValue).toArray());
                Color color = COLORS[METHODS.indexOf(method)];
                s.setLineColor(color);
                s.setMarkerColor(color);
                s.setMarker(MARKERS[k % MARKERS.length]);
                float[] dash = DASHES[k % DASHES.length];
                s.setLineStyle(dash == null ? new BasicStroke(1.5f)
                        : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
            }
        }
        return chart;
    }

    private static void save(Path png, XYChart chart) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
