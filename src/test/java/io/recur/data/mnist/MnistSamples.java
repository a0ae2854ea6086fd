package io.recur.data.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small fake MNIST data for tests: digit pixels that say which sample they belong to. */
final class MnistSamples {
    private MnistSamples() {}

    /** The byte at pixel p of sample i of digit d: pixels 0 and 1 name the sample (i < 256), so a mix-up shows. */
    static int pixel(int d, int i, int p) { return p == 0 ? d : p == 1 ? i : (d * 37 + i * 11 + p * 3) % 256; }

    /** {@code perDigit[d]} samples of each digit, grouped by digit as the npm package stores them. */
    static MnistDigits digits(int... perDigit) {
        int count = 0;
        for (int n : perDigit) count += n;
        byte[] pixels = new byte[count * MnistDigits.PIXELS], labels = new byte[count];
        int k = 0;
        for (int d = 0; d < perDigit.length; d++)
            for (int i = 0; i < perDigit[d]; i++, k++) {
                labels[k] = (byte) d;
                for (int p = 0; p < MnistDigits.PIXELS; p++) pixels[k * MnistDigits.PIXELS + p] = (byte) pixel(d, i, p);
            }
        return new MnistDigits(pixels, labels, count);
    }

    /** An npm-style package: src/digits/d.json with {"data": [...]} of pixel / 255 to three decimals. */
    static Path npmPackage(Path dir, int... perDigit) throws IOException {
        Path digits = Files.createDirectories(dir.resolve("src").resolve("digits"));
        for (int d = 0; d < 10; d++) {
            StringBuilder json = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < perDigit[d]; i++)
                for (int p = 0; p < MnistDigits.PIXELS; p++) {
                    if (i + p > 0) json.append(',');
                    json.append(String.format(java.util.Locale.ROOT, "%.3f", pixel(d, i, p) / 255.0).replaceAll("0+$", "").replaceAll("\\.$", ""));
                }
            Files.writeString(digits.resolve(d + ".json"), json.append("]}\n"));
        }
        return dir;
    }
}
