package io.recur.cli;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.demo.SequenceSignDemo;
import io.recur.train.AtomicFiles;
import io.recur.train.Plots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `recur demo`: a small real training run with the autograd engine. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Train a small tanh RNN to tell whether a sequence sums to a positive number.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--backend", defaultValue = "auto", description = "cpu, cuda or auto (default: ${DEFAULT-VALUE})")
    String backendName;

    @Option(names = "--steps", defaultValue = "400", description = "SGD steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "sequences per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--hidden", defaultValue = "32", description = "RNN width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--lr", defaultValue = "0.05", description = "learning rate (default: ${DEFAULT-VALUE})")
    float learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "seed for weights and data (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "demo-out", description = "folder for loss.csv and loss.png (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || batch < 1 || hidden < 1)
            throw new IllegalArgumentException("--steps, --batch and --hidden must be positive");
        PrintWriter console = spec.commandLine().getOut();
        Backend backend = Backends.byName(backendName);
        console.printf("demo: tanh RNN (hidden %d) on %s, %d steps of %d sequences of length %d%n",
                hidden, backend.description(), steps, batch, SequenceSignDemo.LENGTH);
        console.flush();
        List<Double> losses = new ArrayList<>();
        double accuracy;
        try (SequenceSignDemo demo = new SequenceSignDemo(backend, hidden, seed);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
                     .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed().build()) {
            accuracy = demo.train(steps, batch, learningRate, seed, loss -> {
                losses.add(loss);
                bar.step();
                bar.setExtraMessage(String.format(" loss %.4f", loss));
            });
        }
        writeCurve(losses);
        console.printf("final training loss %.4f (first %.4f); validation accuracy %.1f%% (chance 50%%)%n",
                losses.getLast(), losses.getFirst(), 100 * accuracy);
        console.printf("wrote %s and %s%n", out.resolve("loss.csv"), out.resolve("loss.png"));
        return 0;
    }

    private void writeCurve(List<Double> losses) throws java.io.IOException {
        double[] x = new double[losses.size()], y = new double[losses.size()];
        StringBuilder csv = new StringBuilder("step,loss\n");
        for (int i = 0; i < losses.size(); i++) {
            x[i] = i + 1;
            y[i] = losses.get(i);
            csv.append(i + 1).append(',').append(losses.get(i)).append('\n');
        }
        AtomicFiles.writeString(out.resolve("loss.csv"), csv.toString());
        Plots.line(out.resolve("loss.png"), "recur demo: training loss", "step", "cross-entropy", x, y, false);
    }
}
