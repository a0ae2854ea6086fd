package io.recur.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `recur` command. */
@Command(name = "recur", mixinStandardHelpOptions = true, version = "recur 0.1.0",
        description = "Train and study modern recurrent sequence models on CPU or GPU.",
        subcommands = {InfoCommand.class, DemoCommand.class, TrainCommand.class, SweepCommand.class, ReportCommand.class, EvalCommand.class, GenerateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // User mistakes (bad shapes, missing files) print one clear line, not a stack trace.
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println(line.getColorScheme().errorText("recur: " + ex.getMessage()));
            if (System.getenv("RECUR_DEBUG") != null) ex.printStackTrace(line.getErr());
            return 1;
        });
        cl.setOverwrittenOptionsAllowed(true);   // the last of a repeated option wins, as in most tools
        // Bad options or values: one line naming the problem and where help is, not the whole usage.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String help = c == cl ? "recur --help" : "recur " + c.getCommandName() + " --help";
            c.getErr().println(c.getColorScheme().errorText("recur: " + ex.getMessage() + " (see '" + help + "')"));
            return 2;
        });
        return cl;
    }
}
