package io.recur.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * metrics.jsonl: one JSON object per logged step, appended and flushed as it happens, so a crash
 * loses nothing logged and other programs can follow the file while training runs.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) { this.out = out; }

    /** A fresh log in folder (an existing one is replaced). */
    public static MetricsLog create(Path folder) throws IOException {
        Files.createDirectories(folder);
        return new MetricsLog(Files.newBufferedWriter(folder.resolve(FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /**
     * Continues a log after a checkpoint at {@code step}: lines logged after it (by a run that went
     * on past its last checkpoint) are dropped, since the resumed run logs those steps again.
     */
    public static MetricsLog resume(Path folder, long step) throws IOException {
        List<String> kept = new ArrayList<>();
        for (JsonNode line : read(folder)) if (line.path("step").asLong() <= step) kept.add(JSON.writeValueAsString(line));
        AtomicFiles.writeString(folder.resolve(FILE), kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        return new MetricsLog(Files.newBufferedWriter(folder.resolve(FILE), StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    /** Every line of folder's log (none if there is no log). */
    public static List<JsonNode> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(file)) return lines;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!line.isBlank()) lines.add(JSON.readTree(line));
        return lines;
    }

    /** Appends one record (keys in the map's order) and flushes it. */
    public void append(Map<String, Object> record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + FILE, e);
        }
    }

    @Override
    public void close() throws IOException { out.close(); }
}
