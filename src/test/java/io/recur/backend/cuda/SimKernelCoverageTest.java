package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.testing.TestBackends;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last (junit-platform.properties orders classes by @Order): every kernel entry of every PTX
 * module in the build must have completed a launch under simulation during this test run, so no
 * kernel ships that the suite never executed. Skips when the suite did not run before it.
 */
@Order(Integer.MAX_VALUE)
class SimKernelCoverageTest {
    /** Fewer backend requests than this means a single class or a handful ran, not the suite. */
    private static final int SUITE_REQUESTS = 50;

    @Test
    void everyKernelRanUnderSimulation() throws IOException, URISyntaxException {
        Assumptions.assumeTrue(TestBackends.requests() >= SUITE_REQUESTS, "only " + TestBackends.requests()
                + " parameterized tests asked for backends before this one: the kernel coverage check needs the whole suite (./mvnw test)");
        Assumptions.assumeTrue(SimCoverage.launches() > 0, "no kernel ran under simulation (a GPU ran them): nothing to check");
        Set<String> compiled = ptxEntries();
        Set<String> missed = new TreeSet<>(compiled);
        missed.removeAll(SimCoverage.launched());
        System.out.printf("simulated kernel coverage: %d of %d kernels launched in %d launches%n",
                compiled.size() - missed.size(), compiled.size(), SimCoverage.launches());
        assertTrue(missed.isEmpty(), missed.size() + " of " + compiled.size() + " kernels never ran under simulation: " + missed);
    }

    /** "module/entry" for every .entry of every /ptx/*.ptx on the class path (a folder or a jar). */
    static Set<String> ptxEntries() throws IOException, URISyntaxException {
        var folder = PtxInfo.class.getResource("/ptx/");
        assertTrue(folder != null, "no /ptx/ folder on the class path");
        URI uri = folder.toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return entries(jar.getPath("/ptx"));
            }
        }
        return entries(Path.of(uri));
    }

    private static Set<String> entries(Path folder) throws IOException {
        Set<String> all = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ptx")).toList()) {
                String module = p.getFileName().toString().replaceFirst("\\.ptx$", "");
                for (String entry : PtxInfo.parse(module, Files.readString(p)).entries()) all.add(module + "/" + entry);
            }
        }
        assertTrue(!all.isEmpty(), "no PTX entries under " + folder);
        return all;
    }
}
