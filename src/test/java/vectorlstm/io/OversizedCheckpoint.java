package vectorlstm.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A checkpoint file whose one tensor is larger than this JVM's heap, sparse (no disk space taken): for the tests of the heap guard. */
public final class OversizedCheckpoint {
    private OversizedCheckpoint() {}

    public static Path write(Path file) throws IOException {
        long bytes = (Runtime.getRuntime().maxMemory() + (64L << 20)) / 64 * 64;
        String json = "{\"__metadata__\":{\"format\":\"vector-lstm-checkpoint\",\"version\":\"1\",\"vlstm.training\":\"{}\",\"vlstm.context\":\"{}\","
                + "\"vlstm.crc32c\":\"00000000\"},\"weights/x\":{\"dtype\":\"F32\",\"shape\":[" + bytes / 4 + "],\"data_offsets\":[0," + bytes + "]}}";
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
