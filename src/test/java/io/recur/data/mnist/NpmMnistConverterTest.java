package io.recur.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmMnistConverterTest {
    private static final int[] PER_DIGIT = {2, 1, 3, 1, 1, 2, 1, 1, 1, 2};

    @Test
    void convertsAPackageToIdxFilesThatLoadBackExactly(@TempDir Path dir) throws IOException {
        Path pkg = MnistSamples.npmPackage(dir.resolve("pkg"), PER_DIGIT);
        NpmMnistConverter.convert(pkg, dir.resolve("out"));
        MnistDigits loaded = MnistDigits.load(dir.resolve("out"));
        MnistDigits expected = MnistSamples.digits(PER_DIGIT);
        assertEquals(15, loaded.count());
        assertArrayEquals(expected.labels(), loaded.labels(), "labels in the package's order, grouped by digit");
        assertArrayEquals(expected.pixels(), loaded.pixels(), "round(v * 255) recovers every byte from three decimals");
    }

    @Test
    void rejectsWhatIsNotTheMnistPackage(@TempDir Path dir) throws IOException {
        var missing = assertThrows(IOException.class, () -> NpmMnistConverter.convert(dir, dir.resolve("out")));
        assertTrue(missing.getMessage().contains("0.json"), missing.getMessage());
        Path src = Path.of("x.json");
        assertTrue(assertThrows(IOException.class, () -> NpmMnistConverter.pixelBytes("{\"data\": [0.5, 1]}", src)).getMessage().contains("multiple of 784"));
        String outOfRange = "{\"data\": [" + "0,".repeat(783) + "1.5]}";
        assertTrue(assertThrows(IOException.class, () -> NpmMnistConverter.pixelBytes(outOfRange, src)).getMessage().contains("outside [0, 1]"));
        assertThrows(IOException.class, () -> NpmMnistConverter.pixelBytes("{\"pixels\": 3}", src));
        assertEquals(1, NpmMnistConverter.pixelBytes("{\"data\": [" + "0.004,".repeat(783) + "0.992]}", src)[0]);
        assertEquals((byte) 253, NpmMnistConverter.pixelBytes("{\"data\": [" + "0.004,".repeat(783) + "0.992]}", src)[783]);
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written on failure");
    }
}
