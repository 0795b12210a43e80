package vectorlstm.importer.keras;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import vectorlstm.importer.ImportException;

/**
 * An HDF5 file's superblock records where the file ends. A file cut short (an interrupted
 * download or copy) can still open, and even yield the weights that happen to lie before the
 * cut; checking the recorded length first refuses it as a whole, as it deserves.
 */
final class H5Length {
    private H5Length() {}

    /** The first bytes {@link #end} needs at most (a version 0 superblock with 8-byte offsets). */
    static final int HEAD_BYTES = 64;

    /** @param head the file's first bytes (64 are plenty); {@code size} its actual length */
    static void check(ByteBuffer head, long size, String where) {
        long end = end(head, where);
        if (end > size) throw new ImportException(where + " is cut short: " + size + " bytes, its HDF5 superblock says " + end + " (truncated download or copy?)");
    }

    /** Where the file ends by its superblock, from the file's first bytes ({@link #HEAD_BYTES} are enough). */
    static long end(ByteBuffer head, String where) {
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 16) throw new ImportException(where + " is cut short: no complete HDF5 superblock");
        // The signature first: a zip or anything else in its place was reported as a superblock with odd offsets.
        byte[] signature = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        for (int i = 0; i < signature.length; i++) {
            if (b.get(i) != signature[i]) {
                throw new ImportException(where + " is not an HDF5 file" + (b.get(0) == 'P' && b.get(1) == 'K' ? " (it is a zip archive)" : "")
                        + ": it does not start with HDF5's signature");
            }
        }
        int version = b.get(8) & 0xff;
        int offsetSize;
        int eofAt;
        switch (version) {
            case 0, 1 -> {
                offsetSize = b.get(13) & 0xff;
                eofAt = (version == 0 ? 24 : 28) + 2 * offsetSize;
            }
            case 2, 3 -> {
                offsetSize = b.get(9) & 0xff;
                eofAt = 12 + 2 * offsetSize;
            }
            default -> throw new ImportException(where + ": HDF5 superblock version " + version + " is not one this reader knows (0-3)");
        }
        if (offsetSize != 8 && offsetSize != 4) throw new ImportException(where + ": HDF5 superblock gives offsets of " + offsetSize + " bytes (4 or 8 expected): corrupt");
        if (b.remaining() < eofAt + offsetSize) throw new ImportException(where + " is cut short: no complete HDF5 superblock");
        long end = offsetSize == 8 ? b.getLong(eofAt) : b.getInt(eofAt) & 0xffffffffL;
        if (end < 0) throw new ImportException(where + ": HDF5 superblock gives an end of file beyond 2^63: corrupt");
        return end;
    }
}
