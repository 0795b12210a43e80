package vectorlstm.data.vowels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small Japanese Vowels folders and zips, written in the layouts the loader accepts. */
final class VowelsFixture {
    /** Blocks per speaker in the tiny train and test files: 9 and 10 blocks. */
    static final int[] TRAIN_COUNTS = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    static final int[] TEST_COUNTS = {2, 1, 1, 1, 1, 1, 1, 1, 1};

    private VowelsFixture() {
    }

    /** Frame value: block, step and feature can be read back from it. */
    static float value(int block, int step, int feature) {
        return Float.parseFloat(String.format(Locale.ROOT, "%d.%02d%02d", block, step, feature));
    }

    /** Block {@code b} has 2 + b % 3 frames, so lengths differ and repeat. */
    static int length(int block) {
        return 2 + block % 3;
    }

    static String line(int block, int step) {
        StringBuilder s = new StringBuilder();
        for (int f = 0; f < 12; f++) s.append(String.format(Locale.ROOT, "%d.%02d%02d ", block, step, f));
        return s.toString(); // trailing space, as in the real files
    }

    /** UCI layout: LF, one empty line after every block. */
    static String uci(int blocks) {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < length(b); t++) s.append(line(b, t)).append('\n');
            s.append('\n');
        }
        return s.toString();
    }

    /** Jaeger layout: CRLF, a line of twelve 1.0 after every block, then an empty line if {@code blank}. */
    static String jaeger(int blocks, boolean blank) {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < length(b); t++) s.append(line(b, t)).append("\r\n");
            s.append("1.0 ".repeat(12)).append(" \r\n");
            if (blank) s.append("\r\n");
        }
        return s.toString();
    }

    static String sizes(int[] counts) {
        StringBuilder s = new StringBuilder();
        for (int c : counts) s.append(c).append(' ');
        return s.toString().strip() + "\n";
    }

    static int total(int[] counts) {
        int n = 0;
        for (int c : counts) n += c;
        return n;
    }

    /** The four files of {@link #files()} in {@code dir}. */
    static Path writeUci(Path dir) {
        files().forEach((name, text) -> write(dir.resolve(name), text));
        return dir;
    }

    static Map<String, String> files() {
        return Map.of("ae.train", uci(total(TRAIN_COUNTS)), "ae.test", uci(total(TEST_COUNTS)),
                "size_ae.train", sizes(TRAIN_COUNTS), "size_ae.test", sizes(TEST_COUNTS));
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip with the given entries (name to content), in order. */
    static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
