package io.recur.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.io.JsonFiles;
import io.recur.train.RunConfig;
import io.recur.train.RunConfigs;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Shows {@link RunConfig#defaults()} in `recur train --help`, so the help cannot drift from the defaults. */
final class RunDefaults implements IDefaultValueProvider {
    private static final JsonNode DEFAULTS = JsonFiles.toTree(RunConfig.defaults());

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) return null;
        JsonNode value = DEFAULTS.get(RunConfigs.snake(o.longestName()));
        return value == null || value.isNull() ? null : value.asText();
    }
}
