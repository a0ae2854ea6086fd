package io.recur.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where the tests run, so the Dockerfile is checked for structure: the rules a
 * linter such as hadolint applies that matter here, and that it builds the way CI does.
 */
class DockerfileTest {
    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern COPY_FROM = Pattern.compile("(?i)^COPY\\s+--from=(\\S+)\\s");

    /** Instructions with their continuation lines joined, comments dropped. */
    private static List<String> instructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(Path.of("Dockerfile"))) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) continue;
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return out;
    }

    @Test
    void stagesArePinnedNamedAndReferencedCorrectly() throws IOException {
        Set<String> stages = new LinkedHashSet<>();
        List<String> images = new ArrayList<>();
        for (String i : instructions()) {
            Matcher from = FROM.matcher(i);
            if (from.matches()) {
                images.add(from.group(1));
                if (from.group(2) != null) stages.add(from.group(2));
            }
            Matcher copy = COPY_FROM.matcher(i);
            if (copy.find()) assertTrue(stages.contains(copy.group(1)), "COPY --from=" + copy.group(1) + " names no earlier stage: " + i);
        }
        assertTrue(images.size() >= 3, "expected a build stage, a runtime-Java stage and the image, got " + images);
        for (String image : images) {
            if (stages.contains(image)) continue;   // FROM an earlier stage
            assertTrue(image.startsWith("nvidia/cuda:${CUDA_VERSION}-"), "base images are the CUDA images at one pinned version: " + image);
            assertFalse(image.endsWith(":latest"), image);
        }
        assertTrue(images.getFirst().contains("-devel-") && images.getLast().contains("-runtime-"),
                "build on the devel image (nvcc), run on the runtime image: " + images);
        String version = instructions().stream().filter(i -> i.startsWith("ARG CUDA_VERSION=")).findFirst().orElseThrow();
        assertTrue(version.matches("ARG CUDA_VERSION=12\\.\\d+\\.\\d+"), "CUDA 12.x, whose PTX loads on R560+ drivers: " + version);
    }

    @Test
    void theImageRunsRecurAsAnUnprivilegedUser() throws IOException {
        List<String> all = instructions();
        int lastFrom = 0;
        for (int k = 0; k < all.size(); k++) if (FROM.matcher(all.get(k)).matches()) lastFrom = k;
        List<String> image = all.subList(lastFrom, all.size());
        String user = image.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
        assertFalse(user.matches("USER (root|0)(:.*)?"), "the image must not run as root: " + user);
        String entry = image.stream().filter(i -> i.startsWith("ENTRYPOINT")).findFirst().orElse("");
        assertEquals("ENTRYPOINT [\"recur\"]", entry, "exec-form entry point running the recur launcher");
        assertTrue(image.stream().anyMatch(i -> i.startsWith("VOLUME") && i.contains("/outputs") && i.contains("/data") && i.contains("/checkpoints")),
                "volumes for data, outputs and checkpoints");
        assertTrue(image.stream().anyMatch(i -> i.startsWith("COPY --from=runtime-java /opt/java")), "the jlink-ed runtime, not a JDK");
    }

    @Test
    void itBuildsWithTheSameCommandsAsCiAndCleanPackageInstalls() throws IOException {
        List<String> all = instructions();
        assertTrue(all.stream().anyMatch(i -> i.startsWith("RUN") && i.contains(".ci/run") && i.contains("./mvnw -B -q package")),
                "the build runs .ci/run (on request) and the Maven wrapper's package");
        for (String i : all) {
            if (i.contains("apt-get install")) {
                assertTrue(i.contains("--no-install-recommends") && i.contains("-y"), "apt-get install -y --no-install-recommends: " + i);
                assertTrue(i.contains("apt-get update") && i.contains("rm -rf /var/lib/apt/lists/*"), "update and clean in the same layer: " + i);
            }
            assertFalse(i.startsWith("ADD ") && i.contains("://"), "fetch with curl in a RUN, not ADD <url>: " + i);
            assertFalse(i.contains("sudo "), i);
            if (i.startsWith("WORKDIR")) assertTrue(i.split("\\s+")[1].startsWith("/"), "absolute WORKDIR: " + i);
        }
        assertTrue(Files.readString(Path.of(".dockerignore")).contains("target/"), "the local build stays out of the build context");
    }
}
