package io.recur.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.io.ConfigFiles;
import io.recur.io.JsonFiles;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link RunConfig} from layers of settings, each overriding the one before: a base (the
 * defaults, or a resumed run's saved config), a JSON file, then the options given on the command
 * line. Keys are RunConfig's snake_case names; an unknown key is an error that lists the known ones.
 */
public final class RunConfigs {
    private RunConfigs() {}

    /** The keys a config file may use. */
    public static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (RecordComponent c : RunConfig.class.getRecordComponents()) keys.add(snake(c.getName()));
        return keys;
    }

    /**
     * Settings a model takes unless the file or the options set them: a spiking network has one
     * recurrent layer (the general default is two blocks).
     */
    private static final Map<String, Map<String, Object>> MODEL_DEFAULTS = Map.of("lsnn", Map.of("n_layer", 1));

    /** base, overridden by file (may be null), overridden by overrides (key → value). */
    public static RunConfig merge(RunConfig base, Path file, Map<String, Object> overrides) throws IOException {
        ObjectNode tree = (ObjectNode) JsonFiles.toTree(base);
        Set<String> given = new TreeSet<>(overrides.keySet());
        if (file != null) {
            JsonNode fromFile = ConfigFiles.readTree(file);
            if (!fromFile.isObject()) throw new IllegalArgumentException("config file " + file + " must hold an object of settings (key: value)");
            fromFile.properties().forEach(e -> {
                tree.set(known(e.getKey(), "config file " + file), e.getValue());
                given.add(e.getKey());
            });
        }
        overrides.forEach((k, v) -> tree.set(known(k, "option"), JsonFiles.toTree(v)));
        MODEL_DEFAULTS.getOrDefault(tree.path("model").asText(), Map.of()).forEach((k, v) -> {
            if (!given.contains(k)) tree.set(k, JsonFiles.toTree(v));
        });
        try {
            return JsonFiles.fromTree(tree, RunConfig.class, file == null ? "the options" : "config file " + file + " with the options");
        } catch (IOException e) {
            // RunConfig's own checks say best what is wrong; Jackson wraps them
            for (Throwable c = e; c != null; c = c.getCause())
                if (c instanceof IllegalArgumentException bad) throw new IllegalArgumentException(bad.getMessage(), e);
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String known(String key, String where) {
        if (!keys().contains(key)) throw new IllegalArgumentException("unknown key '" + key + "' in " + where + "; known keys: " + String.join(", ", keys()));
        return key;
    }

    /** dModel → d_model; also --d-model → d_model. */
    public static String snake(String name) {
        String s = name.startsWith("--") ? name.substring(2).replace('-', '_') : name;
        return s.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
