package io.recur.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import io.recur.perf.BenchReport;
import io.recur.perf.EPropMemory;
import io.recur.perf.KernelSuites;
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
    void benchSweepsPrintAndWriteTheirTables(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("scan.md");
        Run r = run("bench", "scan", "--backend", "cpu", "--scan-shapes", "1x3x5,2x2x100", "--repetitions", "1", "--out", md.toString());
        assertEquals(0, r.exitCode(), r.err());
        String table = Files.readString(md);
        assertEquals(r.out(), table);
        for (String row : List.of("| linear scan | 1x3x5 |", "| linear scan | 2x2x100 |"))
            assertTrue(table.contains(row), "missing " + row + " in\n" + table);
        assertTrue(Pattern.compile("\\| linear scan \\| 2x2x100 \\| [0-9.]+ \\| [0-9.]+ GB/s \\| [0-9.]+x of copy [0-9.]+ GB/s \\|").matcher(table).find(), table);
        Run sgemm = run("bench", "sgemm", "--backend", "cpu", "--sizes", "8,33", "--repetitions", "1");
        assertEquals(0, sgemm.exitCode(), sgemm.err());
        for (String row : List.of("| sgemm | 8x8x8 |", "| sgemm | 33x33x33 |"))
            assertTrue(sgemm.out().contains(row), "missing " + row + " in\n" + sgemm.out());
    }

    /**
     * bench all times every kernel suite (a finite positive time and throughput each) and writes the
     * same rows as JSON and Markdown, and a PNG; with two backends every row has a speedup over the CPU.
     */
    @Test
    void benchAllTimesEveryKernelSuiteAndWritesJsonMarkdownAndAChart(@TempDir Path dir) throws Exception {
        Run r = run("bench", "all", "--backend", "cpu", "--quick", "--repetitions", "1", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = new ObjectMapper().readTree(dir.resolve("bench.json").toFile()).get("rows");
        assertEquals(KernelSuites.ALL.size(), rows.size(), rows.toString());
        String md = Files.readString(dir.resolve("bench.md"));
        assertEquals(r.out(), md);
        assertFalse(md.contains("speedup vs cpu"), "one backend has no speedup column\n" + md);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            assertEquals(KernelSuites.ALL.get(i).name(), row.get("suite").asText());
            assertEquals("cpu", row.get("backend").asText());
            for (String field : List.of("median_ms", "throughput")) {
                double v = row.get(field).asDouble();
                assertTrue(Double.isFinite(v) && v > 0, field + " of " + row);
            }
            String mdRow = String.format("| %s | cpu | %s | %.3f | %s %s |", row.get("suite").asText(), row.get("shape").asText(),
                    row.get("median_ms").asDouble(), BenchReport.number(row.get("throughput").asDouble()), row.get("unit").asText());
            assertTrue(md.contains(mdRow), "missing " + mdRow + " in\n" + md);
        }
        byte[] png = Files.readAllBytes(dir.resolve("bench.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "bench.png is not a PNG");

        Path both = dir.resolve("both");
        Run two = run("bench", "all", "--backend", "cpu,cuda-sim", "--suites", "rg-lru", "--quick", "--repetitions", "1", "--out", both.toString());
        assertEquals(0, two.exitCode(), two.err());
        assertTrue(two.out().contains("| speedup vs cpu |"), two.out());
        JsonNode pair = new ObjectMapper().readTree(both.resolve("bench.json").toFile()).get("rows");
        assertEquals(List.of("cpu", "cuda-sim"), List.of(pair.get(0).get("backend").asText(), pair.get(1).get("backend").asText()));
        double cpuMs = pair.get(0).get("median_ms").asDouble(), simMs = pair.get(1).get("median_ms").asDouble();
        assertEquals(1.0, pair.get(0).get("speedup_vs_cpu").asDouble(), 1e-12);
        assertEquals(cpuMs / simMs, pair.get(1).get("speedup_vs_cpu").asDouble(), 1e-12 * cpuMs / simMs);
        Run unknown = run("bench", "all", "--suites", "fft");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown kernel suite 'fft': use sgemm, linear-scan"), unknown.err());
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
