package io.recur.cli;

import io.recur.data.Metric;
import io.recur.train.Evaluation;
import io.recur.train.RunConfig;
import io.recur.train.Trainer;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The training progress bar (on stderr): step, loss, tokens/s, the latest validation figure and the ETA. */
final class TrainProgress implements Trainer.Listener, AutoCloseable {
    private final ProgressBar bar;
    private String validation = "";

    TrainProgress(long steps) {
        bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).build();
    }

    @Override
    public void onStep(long step, long totalSteps, double loss, double learningRate, double tokensPerSecond) {
        bar.stepTo(step);
        // short, so that an 80-column terminal shows it all: the bar leaves about 35 columns
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f%s %.1fk tok/s", loss, validation, tokensPerSecond / 1000));
    }

    @Override
    public void onEvaluation(long step, Evaluation.Result r) { validation = " " + describe(r); }

    static String describe(Evaluation.Result r) {
        return switch (r.metric()) {
            case MSE -> String.format(Locale.ROOT, "val mse %.3g", r.value());
            case TOKEN_ACCURACY, SEQUENCE_ACCURACY -> String.format(Locale.ROOT, "val %.1f%%", 100 * r.value());
        };
    }

    /** The closing line: where the run ended and how well it did. */
    static String summary(Trainer.Result r, RunConfig run, double seconds) {
        Evaluation.Result v = r.validation();
        String figures = v == null ? "no validation" : String.format(Locale.ROOT, "validation %s %s (loss %.4f)",
                v.metric().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                v.metric() == Metric.MSE ? String.format(Locale.ROOT, "%.4g", v.value()) : String.format(Locale.ROOT, "%.1f%%", 100 * v.value()),
                v.loss());
        String stop = r.reachedTarget() ? " (target " + run.target() + " reached)"
                : r.steps() < run.steps() && run.maxSeconds() != null ? " (max_seconds " + run.maxSeconds() + " reached)" : "";
        return String.format(Locale.ROOT, "step %d%s: training loss %.4f, %s; %.0f s", r.steps(), stop, r.loss(), figures, seconds);
    }

    @Override
    public void close() { bar.close(); }
}
