package io.recur.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PTX module from the jar (/ptx/NAME.ptx) with the facts the backend reports and checks. */
public record PtxInfo(String module, String text, String isaVersion, String target, Set<String> entries) {
    private static final Pattern VERSION = Pattern.compile("^\\s*\\.version\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern TARGET = Pattern.compile("^\\s*\\.target\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_$]*)\\s*\\(");

    /** Reads and parses the module from the class path; fails naming the missing resource. */
    public static PtxInfo load(String module) {
        String path = "/ptx/" + module + ".ptx";
        try (InputStream in = PtxInfo.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("PTX resource " + path + " is missing from the class path; the build compiles kernels/" + module + ".cu into it");
            return parse(module, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public static PtxInfo parse(String module, String text) {
        Set<String> entries = new LinkedHashSet<>();
        Matcher m = ENTRY.matcher(text);
        while (m.find()) entries.add(m.group(1));
        return new PtxInfo(module, text, first(VERSION, text), first(TARGET, text), Set.copyOf(entries));
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : "unknown";
    }
}
