package vectorlstm.data.vowels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import vectorlstm.data.DataException;

/**
 * Takes the four data files out of UCI's {@code japanese+vowels.zip} and ignores the rest (the
 * description page).
 *
 * <p>Written files are named by us, never by the archive, so no entry can land outside the
 * target folder; an entry whose name tries to ({@code ../}, an absolute path) still rejects the
 * whole archive, since an honest one never has such a name. Sizes are capped as they are read,
 * not as the archive declares them, and each file's CRC-32 is checked against the archive's.
 */
final class VowelsZip {
    static final List<String> FILES = List.of(JapaneseVowels.TRAIN_FILE, JapaneseVowels.TEST_FILE,
            JapaneseVowels.TRAIN_SIZES, JapaneseVowels.TEST_SIZES);
    /** UCI's archive has six entries; thousands would be a wrong or hostile file. */
    private static final int MAX_ENTRIES = 1000;

    private VowelsZip() {
    }

    /**
     * Writes {@link #FILES} from {@code zip} into the existing folder {@code target}; the data files
     * are required, the size files copied when present. Entries may sit at the top or one folder down.
     *
     * @throws DataException if the archive is truncated or damaged, lacks a data file, has an unsafe
     *         or duplicate entry, or an entry larger than {@link TextLines#MAX_FILE_BYTES}
     */
    static void unpack(Path zip, Path target) {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Map<String, ZipEntry> wanted = wantedEntries(zip, archive);
            for (String name : List.of(JapaneseVowels.TRAIN_FILE, JapaneseVowels.TEST_FILE)) {
                if (!wanted.containsKey(name)) {
                    throw new DataException(zip + ": no " + name + " in the archive (entries found: "
                            + wanted.keySet() + "); is this UCI's japanese+vowels.zip?");
                }
            }
            for (Map.Entry<String, ZipEntry> e : wanted.entrySet()) {
                copy(zip, archive, e.getValue(), target.resolve(e.getKey()));
            }
        } catch (ZipException e) {
            throw new DataException(zip + ": not a complete zip archive (truncated or damaged download?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(zip + ": cannot unpack: " + e, e);
        }
    }

    private static Map<String, ZipEntry> wantedEntries(Path zip, ZipFile archive) {
        Map<String, ZipEntry> wanted = new LinkedHashMap<>();
        int count = 0;
        for (Enumeration<? extends ZipEntry> entries = archive.entries(); entries.hasMoreElements(); ) {
            ZipEntry entry = entries.nextElement();
            if (++count > MAX_ENTRIES) {
                throw new DataException(zip + ": more than " + MAX_ENTRIES + " entries; not UCI's archive");
            }
            String name = entry.getName();
            checkSafe(zip, name);
            String[] parts = name.split("/");
            String base = parts[parts.length - 1];
            if (entry.isDirectory() || parts.length > 2 || !FILES.contains(base)) {
                continue;
            }
            if (wanted.put(base, entry) != null) {
                throw new DataException(zip + ": " + base + " appears twice in the archive");
            }
        }
        return wanted;
    }

    private static void checkSafe(Path zip, String name) {
        boolean unsafe = name.startsWith("/") || name.contains("\\") || name.contains(":")
                || List.of(name.split("/")).contains("..");
        if (unsafe) {
            throw new DataException(zip + ": entry \"" + name + "\" points outside the folder it is unpacked "
                    + "into; refusing the archive");
        }
    }

    private static void copy(Path zip, ZipFile archive, ZipEntry entry, Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        try (InputStream in = archive.getInputStream(entry); OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                written += n;
                if (written > TextLines.MAX_FILE_BYTES) {
                    throw new DataException(zip + ": " + entry.getName() + " unpacks to more than "
                            + TextLines.MAX_FILE_BYTES + " bytes; the real file is below 1 MB");
                }
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new DataException(zip + ": " + entry.getName() + " is damaged (CRC-32 "
                    + Long.toHexString(crc.getValue()) + ", the archive says " + Long.toHexString(entry.getCrc()) + ")");
        }
    }
}
