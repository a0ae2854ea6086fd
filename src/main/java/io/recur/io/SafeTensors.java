package io.recur.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.train.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
 * bytes of JSON {name: {"dtype", "shape", "data_offsets": [begin, end)}, "__metadata__": {string:
 * string}} padded with spaces to a multiple of 8, then the tensors' little-endian bytes back to back
 * (offsets relative to the end of the header). Written atomically, tensors ordered by dtype size
 * (largest first, so 8-byte values stay aligned) and then by name, as the Rust library does. Read
 * with the Rust library's checks: offsets in bounds, sizes matching shapes, the data covered
 * exactly once. Supported dtypes: F32, I32, I64.
 */
public final class SafeTensors {
    /** The Rust library's limit: a larger header is taken as a corrupt length. */
    private static final long MAX_HEADER = 100L << 20;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    /** What a file holds: tensors on the requested backend (caller closes them, or closes this) and the metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) implements AutoCloseable {
        /** The tensor of that name; fails naming the file's names if absent. */
        public Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) throw new IllegalArgumentException("no tensor '" + name + "'; the file has " + tensors.keySet());
            return t;
        }

        @Override public void close() { tensors.values().forEach(Tensor::close); }
    }

    public static void write(Path path, Map<String, Tensor> tensors) throws IOException { write(path, tensors, Map.of()); }

    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<String> order = new ArrayList<>(tensors.keySet());
        for (String name : order) {
            if (name.equals(METADATA)) throw new IllegalArgumentException("safetensors: '" + METADATA + "' is reserved and cannot name a tensor");
            tensors.get(name).checkOpen();
        }
        order.sort(Comparator.<String>comparingInt(n -> -tensors.get(n).dtype().bytes()).thenComparing(Comparator.naturalOrder()));
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (String name : order) {
            Tensor t = tensors.get(name);
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", t.dtype().name());
            var shape = entry.putArray("shape");
            for (int d : t.shape().dims()) shape.add(d);
            long bytes = t.size() * t.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.write(path, raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (String name : order) out.write(bytes(tensors.get(name)));
            out.flush();
        });
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.size() * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().put(t.toFloatArray());
            case I32 -> b.asIntBuffer().put(t.toIntArray());
            case I64 -> b.asLongBuffer().put(t.toLongArray());
        }
        return b.array();
    }

    /** Reads every tensor onto backend; errors name the file and what is wrong with it. */
    public static Contents read(Path path, Backend backend) throws IOException {
        ByteBuffer file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such safetensors file");
        }
        long size = file.capacity();
        if (size < 8) throw corrupt(path, "truncated: " + size + " bytes, but the file must start with an 8-byte header length");
        long headerLength = file.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8)
            throw corrupt(path, "header length " + Long.toUnsignedString(headerLength) + " does not fit a file of " + size + " bytes (truncated or not safetensors)");
        byte[] text = new byte[(int) headerLength];
        file.get(8, text);
        JsonNode header;
        try {
            header = JSON.readTree(new String(text, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw corrupt(path, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) throw corrupt(path, "header is not a JSON object");
        long dataStart = 8 + headerLength, dataLength = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) readMetadata(path, e.getValue(), metadata);
            else entries.add(Entry.parse(path, e.getKey(), e.getValue()));
        }
        checkCoverage(path, entries, dataLength);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (Entry en : entries) tensors.put(en.name, en.load(backend, file.slice((int) (dataStart + en.begin), (int) (en.end - en.begin))));
        } catch (RuntimeException e) {
            tensors.values().forEach(Tensor::close);
            throw e;
        }
        return new Contents(tensors, metadata);
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> out) throws IOException {
        if (!node.isObject()) throw corrupt(path, METADATA + " must be an object of strings");
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) throw corrupt(path, METADATA + " value of '" + m.getKey() + "' is not a string");
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    /** Like the Rust library: the tensors' byte ranges, in order, tile the data section exactly. */
    private static void checkCoverage(Path path, List<Entry> entries, long dataLength) throws IOException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(e -> e.begin));
        long at = 0;
        for (Entry e : byOffset) {
            if (e.begin != at)
                throw corrupt(path, "tensor '" + e.name + "' starts at byte " + e.begin + " but the previous one ends at " + at + " (overlap or gap)");
            at = e.end;
        }
        if (at != dataLength)
            throw corrupt(path, "the header describes " + at + " data bytes but the file holds " + dataLength + " (truncated or padded)");
    }

    private record Entry(String name, DType dtype, Shape shape, long begin, long end) {
        static Entry parse(Path path, String name, JsonNode node) throws IOException {
            if (!node.isObject()) throw corrupt(path, "entry '" + name + "' is not an object");
            JsonNode dt = node.get("dtype"), sh = node.get("shape"), off = node.get("data_offsets");
            if (dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray() || off.size() != 2)
                throw corrupt(path, "entry '" + name + "' needs dtype, shape and data_offsets [begin, end]");
            DType dtype;
            try {
                dtype = DType.valueOf(dt.asText());
            } catch (IllegalArgumentException e) {
                throw corrupt(path, "tensor '" + name + "' has dtype " + dt.asText() + "; supported: F32, I32, I64");
            }
            int[] dims = new int[sh.size()];
            for (int i = 0; i < dims.length; i++) {
                JsonNode d = sh.get(i);
                if (!d.canConvertToInt() || d.asInt() < 0) throw corrupt(path, "tensor '" + name + "' has a bad shape " + sh);
                dims[i] = d.asInt();
            }
            for (JsonNode o : off) if (!o.canConvertToLong() || o.asLong() < 0) throw corrupt(path, "tensor '" + name + "' has bad data_offsets " + off);
            long begin = off.get(0).asLong(), end = off.get(1).asLong();
            Shape shape = Shape.of(dims);
            if (end - begin != shape.size() * dtype.bytes())
                throw corrupt(path, "tensor '" + name + "' " + dtype + " " + shape + " needs " + shape.size() * dtype.bytes()
                        + " bytes but data_offsets " + off + " span " + (end - begin));
            return new Entry(name, dtype, shape, begin, end);
        }

        Tensor load(Backend backend, ByteBuffer bytes) {
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            int n = shape.intSize();
            return switch (dtype) {
                case F32 -> { float[] v = new float[n]; bytes.asFloatBuffer().get(v); yield backend.fromArray(v, shape); }
                case I32 -> { int[] v = new int[n]; bytes.asIntBuffer().get(v); yield backend.fromArray(v, shape); }
                case I64 -> { long[] v = new long[n]; bytes.asLongBuffer().get(v); yield backend.fromArray(v, shape); }
            };
        }
    }

    private static IOException corrupt(Path path, String what) { return new IOException("safetensors file " + path + ": " + what); }
}
