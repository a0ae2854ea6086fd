package io.recur.train;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts of training curves. */
public final class Plots {
    private Plots() {}

    /** One curve y(x) written atomically as a PNG; logY for losses that span decades. */
    public static void line(Path png, String title, String xLabel, String yLabel, double[] x, double[] y, boolean logY) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.addSeries(yLabel, x, y).setMarker(SeriesMarkers.NONE);
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
