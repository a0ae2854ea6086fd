package io.recur.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recur.train.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * JSON files such as config.json: Java records map to snake_case keys (hiddenSize ↔ "hidden_size",
 * as torch and HF configs spell them), written atomically and indented; reading fails on keys the
 * record does not have and on keys it needs that are missing, so a typo or a config for another
 * model is reported, not ignored.
 */
public final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private JsonFiles() {}

    public static void write(Path path, Object value) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(value);
        AtomicFiles.write(path, out -> {
            out.write(json);
            out.write('\n');
        });
    }

    public static <T> T read(Path path, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(bytes(path), type);
        } catch (JacksonException e) {
            throw new IOException("JSON file " + path + " does not describe a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The file as a tree, for configs read key by key (e.g. written by other programs). */
    public static JsonNode readTree(Path path) throws IOException {
        try {
            return MAPPER.readTree(bytes(path));
        } catch (JacksonException e) {
            throw new IOException("JSON file " + path + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as a tree with this mapper's naming (e.g. a config record to embed). */
    public static JsonNode toTree(Object value) { return MAPPER.valueToTree(value); }

    /** A tree (e.g. merged from several sources) as a record; {@code source} names it in errors. */
    public static <T> T fromTree(JsonNode tree, Class<T> type, String source) throws IOException {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new IOException(source + " does not describe a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] bytes(Path path) throws IOException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such JSON file");
        }
    }
}
