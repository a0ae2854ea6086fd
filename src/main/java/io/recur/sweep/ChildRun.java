package io.recur.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.train.MetricsLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One run as `recur train` in a child JVM: the same java, JVM options and class path as this
 * process, limited to {@code threads} cores (-XX:ActiveProcessorCount sizes the CPU backend's pool,
 * OPENBLAS_NUM_THREADS OpenBLAS's), so that several runs share the machine without fighting over
 * it. Its output goes to the run's train.log; its progress is read from its metrics.jsonl.
 */
final class ChildRun {
    /** Children still running, ended if this process is (e.g. by Ctrl-C), so that none is left behind. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private ChildRun() {}

    /** Runs `MAIN train --config config --out folder [--resume]`; a non-zero exit throws with the child's error line. */
    static void train(String mainClass, int threads, Path config, Path folder, boolean resume, LongConsumer step) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!option.startsWith("-XX:ActiveProcessorCount") && !option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-agentpath"))
                command.add(option);   // heap size, native access, properties; not debuggers or agents, which would clash
        command.add("-XX:ActiveProcessorCount=" + threads);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass,
                "train", "--config", config.toAbsolutePath().toString(), "--out", folder.toAbsolutePath().toString()));
        if (resume) command.add("--resume");
        Path log = folder.resolve(SweepRunner.LOG);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        Process p = builder.start();
        LIVE.add(p);
        try {
            while (!p.waitFor(500, TimeUnit.MILLISECONDS)) step.accept(lastStep(folder));
            if (p.exitValue() != 0) throw new IllegalStateException(errorLine(log, p.exitValue()));
        } finally {
            p.destroyForcibly();
            LIVE.remove(p);
        }
    }

    /** The step of the last complete line of the child's metrics.jsonl (0 before its first). */
    private static long lastStep(Path folder) {
        try {
            List<JsonNode> lines = MetricsLog.read(folder);
            return lines.isEmpty() ? 0 : lines.getLast().path("step").asLong();
        } catch (IOException e) {
            return 0;   // a line half written just now; the next look will see it whole
        }
    }

    /** The child's own error message ("recur: ..."), or the end of its log. */
    private static String errorLine(Path log, int exit) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        for (String line : lines.reversed()) {
            int at = line.indexOf("recur: ");
            if (at >= 0) return line.substring(at + "recur: ".length()).replaceAll("\u001B\\[[0-9;]*m", "").strip();
        }
        return "the run's JVM exited with status " + exit + (lines.isEmpty() ? "" : ": " + lines.getLast().strip()) + " (see " + log + ")";
    }
}
