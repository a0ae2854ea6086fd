package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar carries PTX for every kernel source, and every kernel the backend launches is in it. */
class PtxResourcesTest {
    private static List<String> kernelSources() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("kernels"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    @Test
    void everyKernelSourceHasAPtxResourceFromNvcc13() throws IOException {
        List<String> modules = kernelSources();
        assertFalse(modules.isEmpty());
        for (String module : modules) {
            PtxInfo ptx = PtxInfo.load(module);
            assertTrue(ptx.isaVersion().matches("\\d+\\.\\d+"), module + ": .version " + ptx.isaVersion());
            assertEquals("9.0", ptx.isaVersion(), module + ": nvcc 13 emits PTX ISA 9.0");
            assertEquals("sm_75", ptx.target(), module + ": built for compute_75 so that every GPU from Turing on can JIT it");
            assertFalse(ptx.entries().isEmpty(), module + " has no kernels");
        }
    }

    @Test
    void everyLaunchedKernelIsAnEntryOfItsModule() throws IOException {
        Set<String> modules = new HashSet<>(kernelSources());
        for (Kernel k : Kernel.values()) {
            assertTrue(modules.contains(k.module()), k + ": no kernels/" + k.module() + ".cu");
            Set<String> entries = PtxInfo.load(k.module()).entries();
            assertTrue(entries.contains(k.entry()), k + ": " + k.module() + ".ptx has no entry " + k.entry() + ", only " + entries);
        }
    }

    @Test
    void everyEntryIsLaunchedBySomeKernelConstant() throws IOException {
        Set<String> launched = Stream.of(Kernel.values()).map(k -> k.module() + "/" + k.entry()).collect(Collectors.toSet());
        for (String module : kernelSources())
            for (String entry : PtxInfo.load(module).entries())
                assertTrue(launched.contains(module + "/" + entry), module + "/" + entry + " is compiled but never launched");
    }

    @Test
    void parsesVersionTargetAndEntries() {
        PtxInfo p = PtxInfo.parse("m", "//\n.version 8.7\n.target sm_80\n.visible .entry foo_f32(\n.param .u64 a\n)\n"
                + ".visible .entry bar(\n)\n.func helper(\n)\n");
        assertEquals("8.7", p.isaVersion());
        assertEquals("sm_80", p.target());
        assertEquals(Set.of("foo_f32", "bar"), p.entries());
    }
}
