package vectorlstm.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Checkpoint files that claim more data than they should, sparse (no disk space taken): for the tests of the heap and padding guards. */
public final class OversizedCheckpoint {
    private OversizedCheckpoint() {}

    public static Path write(Path file) throws IOException {
        long bytes = (Runtime.getRuntime().maxMemory() + (64L << 20)) / 64 * 64;
        return write(file, "\"weights/x\":{\"dtype\":\"F32\",\"shape\":[" + bytes / 4 + "],\"data_offsets\":[0," + bytes + "]}", bytes);
    }

    /** A checkpoint of one (sparse, zero) tensor of {@code bytes}, a multiple of 64, whose checksum is wrong. */
    public static Path write(Path file, long bytes) throws IOException {
        return write(file, "\"weights/x\":{\"dtype\":\"F32\",\"shape\":[" + bytes / 4 + "],\"data_offsets\":[0," + bytes + "]}", bytes);
    }

    /** A checkpoint whose padding entry claims {@code bytes} of (sparse) data, where alignment needs fewer than 64. */
    public static Path writeWithPadding(Path file, long bytes) throws IOException {
        return write(file, "\"__padding_0\":{\"dtype\":\"U8\",\"shape\":[" + bytes + "],\"data_offsets\":[0," + bytes + "]}", bytes);
    }

    private static Path write(Path file, String tensors, long bytes) throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"vector-lstm-checkpoint\",\"version\":\"1\",\"vlstm.training\":\"{}\",\"vlstm.context\":\"{}\","
                + "\"vlstm.crc32c\":\"00000000\"}," + tensors + "}";
        int padded = (int) ((8 + json.length() + 63) / 64 * 64 - 8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put((json + " ".repeat(padded - json.length())).getBytes(StandardCharsets.US_ASCII));
            f.write(head.array());
            f.setLength(8 + padded + bytes);
        }
        return file;
    }
}
