package io.recur.cli;

import io.recur.sweep.Aggregation;
import io.recur.sweep.SweepReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `recur report`: a sweep folder's report (also written at the end of every `recur sweep`). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a sweep folder's report.md, summary.json and plots: per-configuration mean ± std over seeds,",
                "the tuned learning rate per optimizer (chosen on validation, scored on the held-out split), learning curves."})
final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a folder made by recur sweep --out") Path dir;

    @Override
    public Integer call() throws Exception {
        Aggregation a = SweepReport.write(dir);
        spec.commandLine().getOut().printf("wrote %s and %s (%d runs, %d configurations)%n", dir.resolve(SweepReport.MARKDOWN), dir.resolve(SweepReport.SUMMARY),
                a.runs().size(), a.configurations().size());
        return 0;
    }
}
