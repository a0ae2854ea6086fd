package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import io.recur.perf.EPropMemory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void infoListsEveryBackendWithItsVerdict() {
        Run r = run("info");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Java       " + System.getProperty("java.version")), r.out());
        assertTrue(r.out().contains(Runtime.getRuntime().availableProcessors() + " threads"), r.out());
        for (BackendStatus s : Backends.statuses()) {
            String verdict = s.available() ? "available" : "unavailable: " + s.reason();
            String line = "(?m)^" + Pattern.quote(s.name()) + "\\s+" + Pattern.quote(verdict) + "$";
            assertTrue(Pattern.compile(line).matcher(r.out()).find(), "missing '" + s.name() + " " + verdict + "' in:\n" + r.out());
        }
        assertTrue(Pattern.compile("(?m)^cpu\\s+available$").matcher(r.out()).find(), r.out());
    }

    @Test
    void demoTrainsAndWritesItsCurve(@TempDir Path dir) throws Exception {
        Run r = run("demo", "--backend", "cpu", "--steps", "300", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("loss.csv"));
        assertEquals(301, csv.size());
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        double last = Double.parseDouble(csv.get(300).split(",")[1]);
        assertTrue(last < first, "loss did not fall: " + first + " -> " + last);
        var accuracy = Pattern.compile("validation accuracy ([0-9.]+)%").matcher(r.out());
        assertTrue(accuracy.find(), r.out());
        assertTrue(Double.parseDouble(accuracy.group(1)) > 85, r.out());
        byte[] png = Files.readAllBytes(dir.resolve("loss.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "loss.png is not a PNG");
    }

    @Test
    void benchPrintsAndWritesItsTable(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("bench.md");
        Run r = run("bench", "--backend", "cpu", "--sizes", "8,33", "--scan-shapes", "1x3x5,2x2x100", "--repetitions", "1",
                "--out", md.toString());
        assertEquals(0, r.exitCode(), r.err());
        String table = Files.readString(md);
        assertEquals(r.out(), table);
        for (String row : List.of("| sgemm | 8x8x8 |", "| sgemm | 33x33x33 |", "| linear scan | 1x3x5 |", "| linear scan | 2x2x100 |"))
            assertTrue(table.contains(row), "missing " + row + " in\n" + table);
        assertTrue(Pattern.compile("\\| linear scan \\| 2x2x100 \\| [0-9.]+ \\| [0-9.]+ GB/s \\| [0-9.]+x of copy [0-9.]+ GB/s \\|").matcher(table).find(), table);
    }

    /** bench eprop-memory writes the table the measurement gives (memory is deterministic) and a PNG beside it. */
    @Test
    void benchEpropMemoryWritesATableAndAPlot(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("memory.md");
        Run r = run("bench", "eprop-memory", "--lengths", "20,40", "--neurons", "8", "--batch-size", "2", "--out", md.toString());
        assertEquals(0, r.exitCode(), r.err());
        String expected = EPropMemory.table("", EPropMemory.measure(8, 2, new int[] {20, 40}, 1, () -> {})).strip();
        assertTrue(Files.readString(md).contains(expected), "expected\n" + expected + "\nin\n" + Files.readString(md));
        byte[] png = Files.readAllBytes(dir.resolve("memory.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "memory.png is not a PNG");
        Run unknown = run("bench", "memory");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown bench suite 'memory': use sgemm, scan, all or eprop-memory"), unknown.err());
    }

    @Test
    void benchRejectsAMalformedShape() {
        Run r = run("bench", "scan", "--backend", "cpu", "--scan-shapes", "8x1536");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("scan shape '8x1536' must be BxDxT"), r.err());
    }

    @Test
    void badOptionsGiveOneClearLine() {
        Run r = run("demo", "--backend", "tpu");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("unknown backend 'tpu': use cpu, cuda, cuda-sim or auto"), r.err());
        assertTrue(!r.err().contains("\tat "), "stack trace printed:\n" + r.err());
    }
}
