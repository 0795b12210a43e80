package vectorlstm.data.imdb;

import static vectorlstm.text.GzipBytes.gzip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes small tar archives for tests, in the header styles real archivers use: plain ustar,
 * ustar with a prefix, GNU long names and pax path records.
 */
final class TinyTar {
    private static final int BLOCK = 512;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TinyTar file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file, named the way GNU tar would: a long-name entry first if needed. */
    TinyTar file(String path, byte[] content) {
        if (utf8(path).length > 100) {
            return gnuLongNameFile(path, content);
        }
        entry(path, "", content, '0', true);
        return this;
    }

    /** A regular file whose path is split over ustar's prefix and name fields. */
    TinyTar ustarPrefixFile(String prefix, String name, String content) {
        entry(name, prefix, utf8(content), '0', true);
        return this;
    }

    TinyTar gnuLongNameFile(String path, byte[] content) {
        entry("././@LongLink", "", (path + "\0").getBytes(StandardCharsets.UTF_8), 'L', false);
        entry(truncate(path), "", content, '0', false);
        return this;
    }

    TinyTar paxPathFile(String path, String content) {
        return pax("path", path, truncate(path), content);
    }

    /** A pax extended header of one record (key=value), then the file it applies to. */
    TinyTar paxRecordThenFile(String key, String value, String path, String content) {
        return pax(key, value, utf8(path), content);
    }

    private TinyTar pax(String key, String value, byte[] name, String content) {
        String record = " " + key + "=" + value + "\n";
        int length = utf8(record).length;
        // The length prefix counts its own digits.
        int total = length + String.valueOf(length).length();
        if (String.valueOf(total).length() != String.valueOf(length).length()) {
            total++;
        }
        entry("PaxHeaders/x", "", utf8(total + record), 'x', true);
        entry(name, "", utf8(content), '0', true);
        return this;
    }

    /** An entry with the old V7 type flag NUL, still a regular file. */
    TinyTar v7File(String path, String content) {
        entry(path, "", utf8(content), '\0', false);
        return this;
    }

    TinyTar directory(String path) {
        entry(path.endsWith("/") ? path : path + "/", "", new byte[0], '5', true);
        return this;
    }

    TinyTar symlink(String path) {
        entry(path, "", new byte[0], '2', true);
        return this;
    }

    /** One zero block between entries, as a damaged archive has (GNU tar: "A lone zero block"). */
    TinyTar loneZeroBlock() {
        out.writeBytes(new byte[BLOCK]);
        return this;
    }

    /** The archive with its end-of-archive marker (two zero blocks). */
    byte[] tar() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(new byte[2 * BLOCK]);
        return all.toByteArray();
    }

    /** The entries only, as a cut-off archive would end. */
    byte[] tarWithoutEndMarker() {
        return out.toByteArray();
    }

    byte[] tarGz() {
        return gzip(tar());
    }

    Path writeTarGz(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, tarGz());
        return file;
    }

    private void entry(String name, String prefix, byte[] content, char type, boolean posix) {
        entry(utf8(name), prefix, content, type, posix);
    }

    private void entry(byte[] name, String prefix, byte[] content, char type, boolean posix) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(0644, 8));
        put(h, 108, 8, octal(0, 8));
        put(h, 116, 8, octal(0, 8));
        put(h, 124, 12, octal(content.length, 12));
        put(h, 136, 12, octal(1306886400L, 12));
        h[156] = (byte) type;
        // POSIX ustar says "ustar\0" + "00"; GNU tar writes "ustar  \0" and has no prefix field.
        put(h, 257, 8, utf8(posix ? "ustar\u000000" : "ustar  \u0000"));
        put(h, 345, 155, utf8(prefix));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, utf8(String.format("%06o\u0000 ", sum)));
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
    }

    /** The first 100 bytes of the path, which is what GNU tar puts in the name field. */
    private static byte[] truncate(String path) {
        byte[] b = utf8(path);
        return Arrays.copyOf(b, Math.min(100, b.length));
    }

    private static byte[] octal(long value, int field) {
        return utf8(String.format("%0" + (field - 1) + "o", value) + "\u0000");
    }

    private static void put(byte[] h, int at, int max, byte[] value) {
        if (value.length > max) {
            throw new IllegalArgumentException("field too long: " + new String(value, StandardCharsets.UTF_8));
        }
        System.arraycopy(value, 0, h, at, value.length);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
