package io.recur.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs `recur` in process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The options of a 20-step run small enough for tests. */
    static String[] tiny(String... more) {
        String[] base = {"--backend", "cpu", "--d-model", "16", "--n-layer", "1", "--seq-len", "12", "--vocab", "5", "--items", "2",
                "--steps", "20", "--batch-size", "8", "--eval-interval", "10", "--eval-batches", "2", "--warmup", "5"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static String[] train(String... options) {
        String[] all = new String[options.length + 1];
        all[0] = "train";
        System.arraycopy(options, 0, all, 1, options.length);
        return all;
    }
}
