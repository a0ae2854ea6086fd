package io.recur.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Settings files that people write by hand: YAML when the name ends in .yaml or .yml, JSON
 * otherwise. Both come back as the same tree, so every reader of settings (train configs, sweep
 * files) accepts either.
 */
public final class ConfigFiles {
    private static final YAMLMapper YAML = new YAMLMapper();

    private ConfigFiles() {}

    public static boolean isYaml(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** The file as a tree; a syntax error names the file, line and column. */
    public static JsonNode readTree(Path path) throws IOException {
        if (!isYaml(path)) return JsonFiles.readTree(path);
        if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null, "no such YAML file");
        try {
            JsonNode tree = YAML.readTree(Files.readAllBytes(path));
            return tree == null ? YAML.createObjectNode() : tree;
        } catch (JacksonException e) {
            // the parser's message spans several lines with a drawing of the spot; its first line and the location suffice
            String what = e.getOriginalMessage().strip().lines().findFirst().orElse("syntax error");
            throw new IOException("YAML file " + path + " is not valid YAML: " + what
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        }
    }
}
