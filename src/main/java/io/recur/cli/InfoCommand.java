package io.recur.cli;

import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import io.recur.backend.cuda.CudaProbe;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `recur info`: the Java runtime, the CPU, and every backend with why it is or is not usable. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show Java, CPU and backend availability (with reasons).")
final class InfoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        out.printf("Recur 0.1.0%n");
        out.printf("Java       %s (%s), max heap %d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), rt.maxMemory() >> 20);
        out.printf("CPU        %d threads, %s %s%n", rt.availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        out.printf("kernels    %s%n", CudaProbe.kernelSummary());
        for (BackendStatus s : Backends.statuses()) {
            out.printf("%-10s %s%n", s.name(), s.available() ? "available" : "unavailable: " + s.reason());
            for (String d : s.details()) out.printf("           %s%n", d);
        }
        out.flush();
        return 0;
    }
}
