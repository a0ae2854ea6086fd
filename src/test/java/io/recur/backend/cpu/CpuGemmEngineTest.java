package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.GemmConformance;
import io.recur.testing.BackendFixture;
import org.junit.jupiter.api.Test;

/** The CPU backend's two GEMM engines: OpenBLAS is loaded here, and the pure-Java fallback passes the same checks. */
class CpuGemmEngineTest {

    @Test
    void openBlasIsInUse() {
        String description = new CpuBackend().description();
        assertTrue(description.contains("OpenBLAS"), description);
    }

    @Test
    void javaFallbackSaysWhyAndMatchesReference() {
        CpuBackend javaGemm = new CpuBackend(new JavaSgemm("OpenBLAS unavailable", "no natives"));
        assertTrue(javaGemm.description().contains("pure-Java GEMM, OpenBLAS unavailable"), javaGemm.description());
        assertTrue(javaGemm.status().details().toString().contains("no natives"), javaGemm.status().details().toString());
        try (BackendFixture f = BackendFixture.on(javaGemm)) {
            GemmConformance.checkAll(f, javaGemm.description(), javaGemm::gemm);
            GemmConformance.checkLargeSquare(f, javaGemm.description(), javaGemm::gemm);
        }
    }
}
