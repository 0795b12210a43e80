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
}
