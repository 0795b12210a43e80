package vectorlstm.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Damages Parquet files the way the bad-input tests need. */
final class DamagedParquet {
    private DamagedParquet() {}

    /**
     * Garbles the footer's metadata, which sits before its length and the closing "PAR1": the file
     * still ends as Parquet does, but its metadata no longer decodes. Removes Hadoop's checksum
     * file beside it, else Hadoop reports a checksum error instead.
     */
    static void garbleFooter(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length - 68; i < bytes.length - 8; i++) bytes[i] ^= 0x5a;
        Files.write(file, bytes);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    /**
     * Garbles 32 bytes in the middle of the column data, between the leading "PAR1" and the
     * footer (whose length is the 4 little-endian bytes before the closing "PAR1"): the footer
     * still reads, the pages it points to do not.
     */
    static void garbleData(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int footer = (bytes[bytes.length - 8] & 0xff) | (bytes[bytes.length - 7] & 0xff) << 8
                | (bytes[bytes.length - 6] & 0xff) << 16 | (bytes[bytes.length - 5] & 0xff) << 24;
        int dataEnd = bytes.length - 8 - footer;
        if (dataEnd - 4 < 256) throw new IllegalArgumentException(file + " holds too little column data to damage: " + (dataEnd - 4) + " bytes");
        int middle = 4 + (dataEnd - 4) / 2;
        for (int i = middle; i < middle + 32; i++) bytes[i] ^= 0x5a;
        Files.write(file, bytes);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }
}
