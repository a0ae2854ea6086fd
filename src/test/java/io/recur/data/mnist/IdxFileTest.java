package io.recur.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @Test
    void writesTheClassicHeaderAndReadsItBack(@TempDir Path dir) throws IOException {
        byte[] values = {0, 1, 2, (byte) 200, (byte) 255, 7};
        Path f = dir.resolve("x-idx2-ubyte");
        new IdxFile(new int[] {2, 3}, values).write(f);
        byte[] raw = Files.readAllBytes(f);
        assertArrayEquals(new byte[] {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3}, Arrays.copyOf(raw, 12), "magic 0x00000802, dims big-endian");
        IdxFile back = IdxFile.read(f);
        assertArrayEquals(new int[] {2, 3}, back.dims());
        assertArrayEquals(values, back.values());
    }

    @Test
    void rejectsOtherTypesTruncationAndTrailingBytes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("f");
        Files.write(f, new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}); // float IDX
        assertTrue(assertThrows(IOException.class, () -> IdxFile.read(f)).getMessage().contains("not an unsigned-byte IDX"));
        Files.write(f, new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2});
        assertTrue(assertThrows(IOException.class, () -> IdxFile.read(f)).getMessage().contains("truncated"));
        Files.write(f, new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 1, 2});
        assertTrue(assertThrows(IOException.class, () -> IdxFile.read(f)).getMessage().contains("after"));
        assertThrows(IllegalArgumentException.class, () -> new IdxFile(new int[] {2, 2}, new byte[3]));
    }
}
