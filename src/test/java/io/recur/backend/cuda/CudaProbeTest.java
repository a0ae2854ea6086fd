package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.BackendStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class CudaProbeTest {
    @Test
    void probeGivesAVerdictWithoutThrowingOrPrinting() {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BackendStatus status;
        try {
            System.setOut(new PrintStream(printed, true));
            System.setErr(new PrintStream(printed, true));
            status = CudaProbe.status();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        if (CudaProbe.requestedDriver().equals("sim")) assertTrue(SimulatedCuda.isName(status.name()), status.name());
        else assertEquals("cuda", status.name());
        if (status.available()) {
            assertFalse(status.details().isEmpty(), "an available backend describes its device");
        } else {
            assertFalse(status.reason().isBlank(), "an unavailable backend says why");
            assertFalse(printed.toString().contains("\tat "), "the probe printed a stack trace: " + printed);
            System.out.println("CUDA unavailable here: " + status.reason());
        }
        assertSame(status, CudaProbe.status(), "the verdict is remembered");
    }

    @Test
    void backendFailsWithTheReasonWhenUnavailable() {
        BackendStatus status = CudaProbe.status();
        if (status.available()) {
            assertTrue(CudaProbe.backend().name().startsWith("cuda"), CudaProbe.backend().name());
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, CudaProbe::backend);
        assertTrue(e.getMessage().contains(status.reason()), e.getMessage());
    }

    @Test
    void simDriverSelectionBuildsTheBackendOverTheSimulator() {
        String before = System.getProperty("recur.cuda.driver");
        try {
            System.setProperty("recur.cuda.driver", "sim");
            BackendStatus status = CudaProbe.probeAgain();
            assertTrue(status.available(), status.reason());
            assertTrue(SimulatedCuda.isName(status.name()), status.name());
            assertTrue(status.details().getFirst().startsWith("simulated on the CPU"), status.details().toString());
            System.setProperty("recur.cuda.driver", "opencl");
            BackendStatus unknown = CudaProbe.probeAgain();
            assertFalse(unknown.available());
            assertTrue(unknown.reason().contains("use jcuda or sim"), unknown.reason());
        } finally {
            if (before == null) System.clearProperty("recur.cuda.driver");
            else System.setProperty("recur.cuda.driver", before);
        }
    }
}
