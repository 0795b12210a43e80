package vectorlstm.importer.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import vectorlstm.importer.ImportException;

/**
 * The parts of a Keras 3 {@code .keras} archive the importer reads: {@code config.json},
 * {@code metadata.json} (the Keras version, optional) and {@code model.weights.h5} as bytes.
 *
 * <p>Every entry is checked against the CRC-32 the archive stores for it: {@link ZipFile} does
 * not check it, and a flipped byte in the weights would otherwise import as different weights
 * (HDF5 itself carries no checksums there). The weights are read no further than the end their
 * HDF5 superblock records, so a small archive that inflates to a gigabyte of zeros is refused
 * after its first bytes instead of after filling the heap.
 */
record KerasArchive(String config, String metadata, byte[] weights) {
    /** A model.weights.h5 above this is not a text RNN we can hold; refused before reading it. */
    static final long MAX_WEIGHTS_BYTES = 1L << 30;
    /**
     * How much larger than its stored bytes model.weights.h5 may be. Keras stores the entry
     * uncompressed; float weights deflated by hand shrink little (trained ones about 1.1 times, a
     * model never trained, its optimizer's slots all zeros, about 3.5, toy models whose HDF5
     * metadata outweighs their weights up to 16); a few megabytes that inflate to a gigabyte are
     * a zip bomb.
     */
    static final long MAX_INFLATION = 32;

    static KerasArchive read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            requireUniqueNames(zip);
            String config = text(zip, "config.json", true);
            String metadata = text(zip, "metadata.json", false);
            ZipEntry w = entry(zip, "model.weights.h5");
            if (w == null) throw new ImportException(file + ": the .keras archive has no model.weights.h5");
            return new KerasArchive(config, metadata, weights(zip, w, java.nio.file.Files.size(file)));
        } catch (IOException e) {
            // An entry that runs past the file's end throws an EOFException with no message.
            String why = e instanceof java.io.EOFException ? "an entry ends past the end of the file (truncated or corrupt)" : ImportException.readerSaid(e);
            throw new ImportException(file + " is not a readable .keras (zip) archive: " + why, e);
        }
    }

    /**
     * Two entries of one name: {@link ZipFile} reads the last one, other zip readers the first, so
     * the model imported could differ from the one another tool shows. Keras never writes one.
     */
    private static void requireUniqueNames(ZipFile zip) {
        Set<String> names = new HashSet<>();
        zip.stream().forEach(e -> {
            if (!names.add(e.getName())) throw new ImportException(zip.getName() + ": the .keras archive holds two entries named " + e.getName() + ": corrupt or forged");
        });
    }

    /**
     * The entry of exactly this name. {@link ZipFile#getEntry} falls back to a folder entry
     * {@code name + "/"}, which would read a folder's (forged) bytes as the file: a folder of that
     * name is not the file, and no entry of the name is there.
     */
    private static ZipEntry entry(ZipFile zip, String name) {
        ZipEntry e = zip.getEntry(name);
        return e == null || e.isDirectory() || !e.getName().equals(name) ? null : e;
    }

    private static String text(ZipFile zip, String name, boolean required) throws IOException {
        ZipEntry e = entry(zip, name);
        if (e == null) {
            if (required) throw new ImportException(zip.getName() + ": the .keras archive has no " + name);
            return null;
        }
        return new String(bytes(zip, e, KerasModelConfig.MAX_CONFIG_CHARS), StandardCharsets.UTF_8);
    }

    /** An entry's bytes, refusing a declared or actual size above {@code limit} (a zip bomb stops at the limit). */
    private static byte[] bytes(ZipFile zip, ZipEntry e, long limit) throws IOException {
        if (e.getSize() > limit) throw new ImportException(zip.getName() + ": " + e.getName() + " is " + e.getSize() + " bytes, more than the limit of " + limit);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] data = in.readNBytes((int) limit + 1);
            if (data.length > limit) throw new ImportException(zip.getName() + ": " + e.getName() + " is more than the limit of " + limit + " bytes");
            checkCrc(zip, e, data);
            return data;
        }
    }

    /**
     * model.weights.h5: its superblock first, then up to the end it records and not a byte more
     * (an entry longer than its HDF5 file is corrupt), so a declared or inflated size cannot make
     * us read more than the file claims, and no more than {@link #MAX_WEIGHTS_BYTES}, nor more
     * than {@link #MAX_INFLATION} times the bytes the archive stores for it. Read once, into one
     * array of the size the superblock records: that bound keeps a forged claim to a small
     * multiple of the archive's own size.
     */
    private static byte[] weights(ZipFile zip, ZipEntry e, long archiveBytes) throws IOException {
        String where = zip.getName() + ": " + e.getName();
        if (e.getSize() > MAX_WEIGHTS_BYTES) throw new ImportException(where + " is " + e.getSize() + " bytes, more than the limit of " + MAX_WEIGHTS_BYTES);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] head = in.readNBytes(H5Length.HEAD_BYTES);
            long end = H5Length.end(ByteBuffer.wrap(head), where);
            if (end > MAX_WEIGHTS_BYTES) throw new ImportException(where + ": its HDF5 superblock says " + end + " bytes, more than the limit of " + MAX_WEIGHTS_BYTES);
            if (end < head.length) throw new ImportException(where + ": its HDF5 superblock says the file ends at byte " + end + ", inside the superblock: corrupt");
            if (e.getSize() >= 0 && e.getSize() != end) {
                throw new ImportException(where + " is " + e.getSize() + " bytes, its HDF5 superblock says " + end + ": " + (e.getSize() < end ? "cut short" : "corrupt"));
            }
            // The archive's own size bounds what it stores for the entry, whatever its directory claims.
            long stored = Math.min(e.getCompressedSize() < 0 ? archiveBytes : e.getCompressedSize(), archiveBytes);
            if (end > Math.max(stored, 1) * MAX_INFLATION) {
                throw new ImportException(where + " is stored in " + stored + " bytes but says it inflates to " + end + ", more than " + MAX_INFLATION
                        + " times as much: weights do not compress like that (a zip bomb, or a damaged archive)");
            }
            byte[] data = new byte[(int) end];
            System.arraycopy(head, 0, data, 0, head.length);
            int read = head.length + in.readNBytes(data, head.length, (int) end - head.length);
            if (read < end) throw new ImportException(where + " is cut short: " + read + " bytes, its HDF5 superblock says " + end);
            if (in.read() != -1) throw new ImportException(where + " goes on past the end its HDF5 superblock records (" + end + " bytes): corrupt");
            checkCrc(zip, e, data);
            return data;
        }
    }

    /** The CRC-32 the archive stores for the entry, against the bytes read (when the archive stores one). */
    private static void checkCrc(ZipFile zip, ZipEntry e, byte[] data) {
        if (e.getCrc() == -1) return;
        CRC32 crc = new CRC32();
        crc.update(data);
        if (crc.getValue() != e.getCrc()) {
            throw new ImportException(zip.getName() + ": " + e.getName() + " fails the archive's CRC-32 check (stored "
                    + Long.toHexString(e.getCrc()) + ", read " + Long.toHexString(crc.getValue()) + "): the file is damaged");
        }
    }
}
