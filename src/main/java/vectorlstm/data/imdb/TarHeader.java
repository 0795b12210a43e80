package vectorlstm.data.imdb;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import vectorlstm.data.DataException;

/** The fields of one 512-byte tar header block that a reader needs, checked and decoded. */
record TarHeader(String path, long size, byte type) {
    static final byte GNU_LONG_NAME = 'L';
    static final byte GNU_LONG_LINK = 'K';
    static final byte PAX_HEADER = 'x';
    static final byte PAX_GLOBAL_HEADER = 'g';

    private static final int NAME = 0, NAME_LEN = 100;
    private static final int SIZE = 124, SIZE_LEN = 12;
    private static final int CHECKSUM = 148, CHECKSUM_LEN = 8;
    private static final int TYPE = 156;
    private static final int MAGIC = 257;
    private static final int PREFIX = 345, PREFIX_LEN = 155;
    private static final byte[] POSIX_MAGIC = {'u', 's', 't', 'a', 'r', 0};

    /**
     * Decodes a non-zero header block found at {@code position} in the tar stream.
     *
     * @param fail builds the exception for a bad header (it adds the archive name)
     */
    static TarHeader parse(byte[] block, long position, Function<String, DataException> fail) {
        long stored = parseNumber(block, CHECKSUM, CHECKSUM_LEN);
        if (stored < 0 || !checksumMatches(block, stored)) {
            throw fail.apply("bad tar header checksum at byte " + position
                    + ": not a tar archive, or it is corrupted");
        }
        long size = parseNumber(block, SIZE, SIZE_LEN);
        if (size < 0) {
            throw fail.apply("bad size field in the tar header at byte " + position);
        }
        String name = cString(block, NAME, NAME_LEN);
        // Only POSIX ustar has a prefix field; GNU tar keeps other data in the same bytes.
        if (hasPosixMagic(block)) {
            String prefix = cString(block, PREFIX, PREFIX_LEN);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return new TarHeader(name, size, block[TYPE]);
    }

    boolean isRegularFile() {
        // '7' is a "contiguous file", which every reader treats as a regular one.
        return type == '0' || type == 0 || type == '7';
    }

    /**
     * Whether data blocks follow the header. Links, directories, devices and fifos have none,
     * whatever their size field says (some archivers fill it in for hard links).
     */
    boolean hasData() {
        return type < '1' || type > '6';
    }

    /** Entries describing the next entry rather than being one themselves. */
    boolean isMeta() {
        return type == GNU_LONG_NAME || type == GNU_LONG_LINK || type == PAX_HEADER || type == PAX_GLOBAL_HEADER;
    }

    String describeMeta() {
        return switch (type) {
            case GNU_LONG_NAME -> "the GNU long-name header";
            case GNU_LONG_LINK -> "the GNU long-link header";
            case PAX_HEADER -> "the pax header";
            default -> "the pax global header";
        };
    }

    /** Sum of the header bytes with the checksum field counted as spaces; old tars summed signed bytes. */
    private static boolean checksumMatches(byte[] block, long stored) {
        long unsigned = 0, signed = 0;
        for (int i = 0; i < block.length; i++) {
            int b = i >= CHECKSUM && i < CHECKSUM + CHECKSUM_LEN ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    /**
     * Parses an octal field (padded with spaces or NULs) or, when its top bit is set, GNU's
     * big-endian base-256 form used for sizes of 8 GiB and more. Returns -1 if malformed.
     */
    static long parseNumber(byte[] block, int start, int length) {
        if ((block[start] & 0x80) != 0) {
            if ((block[start] & 0x40) != 0) {
                return -1; // negative base-256: meaningless for a size or checksum
            }
            long value = block[start] & 0x3f;
            for (int i = start + 1; i < start + length; i++) {
                if (value > (Long.MAX_VALUE >>> 8)) {
                    return -1;
                }
                value = (value << 8) | (block[i] & 0xff);
            }
            return value;
        }
        int i = start, end = start + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        long value = 0;
        for (; i < end && block[i] >= '0' && block[i] <= '7'; i++) {
            value = (value << 3) | (block[i] - '0');
        }
        for (; i < end; i++) {
            if (block[i] != ' ' && block[i] != 0) {
                return -1;
            }
        }
        return value; // a blank field reads as 0, as GNU tar does
    }

    private static boolean hasPosixMagic(byte[] block) {
        for (int i = 0; i < POSIX_MAGIC.length; i++) {
            if (block[MAGIC + i] != POSIX_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] block, int start, int length) {
        int end = start;
        while (end < start + length && block[end] != 0) {
            end++;
        }
        return new String(block, start, end - start, StandardCharsets.UTF_8);
    }
}
