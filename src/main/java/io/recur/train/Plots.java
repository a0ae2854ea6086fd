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

    /**
     * Two curves over one x axis, each with its own y axis (left and right): a training loss and a
     * validation metric that are recorded at different steps.
     */
    public static void twoAxes(Path png, String title, String xLabel, String leftLabel, double[] leftX, double[] leftY,
                               String rightLabel, double[] rightX, double[] rightY) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xLabel).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.setYAxisGroupTitle(0, leftLabel);
        chart.addSeries(leftLabel, leftX, leftY).setMarker(SeriesMarkers.NONE);
        if (rightX.length > 0) {
            var right = chart.addSeries(rightLabel, rightX, rightY);
            right.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, rightLabel);
            chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
