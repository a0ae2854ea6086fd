package io.recur.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    private final Backend cpu = Backends.cpu();
    @TempDir Path dir;

    @Test
    void roundTripKeepsEveryBit() throws IOException {
        float[] odd = {Float.intBitsToFloat(0x7fc00123), -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1.1f};
        try (Scope s = Scope.open("test")) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("z.floats", cpu.fromArray(odd, Shape.of(2, 3)));
            tensors.put("a.ints", cpu.fromArray(new int[] {Integer.MIN_VALUE, 0, 7}, Shape.of(3)));
            tensors.put("m.longs", cpu.fromArray(new long[] {Long.MAX_VALUE, -5}, Shape.of(2, 1)));
            tensors.put("scalar", cpu.fromArray(new float[] {2.5f}, Shape.scalar()));
            tensors.put("empty", cpu.fromArray(new float[0], Shape.of(0, 4)));
            Path file = dir.resolve("t.safetensors");
            SafeTensors.write(file, tensors, Map.of("format", "pt"));
            try (SafeTensors.Contents c = SafeTensors.read(file, cpu)) {
                assertEquals(Map.of("format", "pt"), c.metadata());
                assertEquals(tensors.keySet(), c.tensors().keySet());
                float[] back = c.get("z.floats").toFloatArray();
                for (int i = 0; i < odd.length; i++) assertEquals(Float.floatToRawIntBits(odd[i]), Float.floatToRawIntBits(back[i]));
                assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, 7}, c.get("a.ints").toIntArray());
                assertArrayEquals(new long[] {Long.MAX_VALUE, -5}, c.get("m.longs").toLongArray());
                assertEquals(Shape.of(2, 1), c.get("m.longs").shape());
                assertEquals(Shape.scalar(), c.get("scalar").shape());
                assertEquals(Shape.of(0, 4), c.get("empty").shape());
            }
            // Layout: header padded to 8 bytes; 8-byte dtypes first, then names in order.
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8);
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            List<Integer> at = List.of(header.indexOf("\"m.longs\""), header.indexOf("\"a.ints\""), header.indexOf("\"empty\""),
                    header.indexOf("\"scalar\""), header.indexOf("\"z.floats\""));
            assertEquals(at.stream().sorted().toList(), at, header);
            assertTrue(header.indexOf("__metadata__") < at.getFirst(), header);
        }
    }

    @Test
    void readsAFileWrittenByPython() throws IOException {
        try (SafeTensors.Contents c = SafeTensors.read(Path.of("src/test/resources/fixtures/python_dtypes.safetensors"), cpu)) {
            assertEquals("make_torch_fixtures.py", c.metadata().get("written_by"));
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f, 1e-3f, -7f}, c.get("floats").toFloatArray());
            assertEquals(Shape.of(2, 3), c.get("floats").shape());
            assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE}, c.get("ints").toIntArray());
            assertArrayEquals(new long[] {-1, 1L << 40}, c.get("longs").toLongArray());
            assertEquals(Shape.scalar(), c.get("scalar").shape());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("nope"));
            assertTrue(e.getMessage().contains("floats"), e.getMessage());
        }
    }

    @Test
    void brokenFilesAreReportedWithTheReason() throws IOException {
        assertThrows(NoSuchFileException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors"), cpu));
        expectCorrupt(new byte[] {1, 2, 3}, "truncated");
        expectCorrupt(file(1000, "{}", new byte[0]), "header length 1000");
        expectCorrupt(file(-1, "{}", new byte[0]), "header length");
        expectCorrupt(file(0, "{\"a\": [1, 2", new byte[0]), "not valid JSON");
        expectCorrupt(file(0, entry("w", "BF16", "[2]", 0, 4), new byte[4]), "dtype BF16");
        expectCorrupt(file(0, entry("w", "F32", "[3]", 0, 8), new byte[8]), "needs 12 bytes");
        expectCorrupt(file(0, entry("w", "F32", "[2]", 0, 8), new byte[4]), "file holds 4");
        expectCorrupt(file(0, entry("w", "F32", "[2]", 0, 8), new byte[12]), "file holds 12");
        expectCorrupt(file(0, "{" + entry("a", "F32", "[2]", 0, 8).substring(1, entry("a", "F32", "[2]", 0, 8).length() - 1) + ","
                + entry("b", "F32", "[1]", 4, 8).substring(1), new byte[8]), "overlap or gap");
        expectCorrupt(file(0, "{\"w\": {\"dtype\": \"F32\"}}", new byte[0]), "needs dtype, shape and data_offsets");
        expectCorrupt(file(0, "{\"__metadata__\": {\"k\": 1}}", new byte[0]), "not a string");
    }

    private void expectCorrupt(byte[] content, String reason) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f, cpu), reason);
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains(f.toString()), "message '" + e.getMessage() + "' should say " + reason);
    }

    private static String entry(String name, String dtype, String shape, int begin, int end) {
        return "{\"" + name + "\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": [" + begin + ", " + end + "]}}";
    }

    /** A file with the given header text and data; headerLength 0 means the true length. */
    private static byte[] file(long headerLength, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength == 0 ? h.length : headerLength).put(h).put(data);
        return Arrays.copyOf(b.array(), b.capacity());
    }
}
