package vectorlstm.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import vectorlstm.memory.Tensor;

/**
 * The data part of a {@link ModelFile} or a {@link CheckpointFile}: float32 values (and a
 * checkpoint's int32 order), little-endian on every machine, each tensor followed by the zeros
 * that keep the next one 64-byte aligned. Here is how those bytes go between the file and memory:
 * written and checksummed as stored, copied once into memory of the reader's own, turned into the
 * engine's native order, and scanned for NaN or infinity.
 */
final class TensorData {
    private TensorData() {}

    /** Zeros after a tensor of {@code bytes} so that the next one starts on a multiple of {@link ModelFile#ALIGN}. */
    static long padding(long bytes) {
        return (ModelFile.ALIGN - bytes % ModelFile.ALIGN) % ModelFile.ALIGN;
    }

    /**
     * The file's data bytes in memory of the model's own, which it computes on for as long as it
     * lives. Computing on a mapping of the file itself made the model's weights the file's current
     * bytes: {@code cp} over a loaded model changed its answers, and once the file had shrunk, a
     * read past its end in compiled vector code ended the process (SIGBUS, which the JVM turns
     * into an exception only in its own copy routines). The file is mapped for the copy alone and
     * unmapped right after. A file that shrank since its size was read is refused as such: before
     * the mapping (the JDK then tries to extend the file: an {@link IOException} on a file opened
     * for reading) or during the copy (the copy routine's fault, an {@link InternalError}). The
     * checksum is then taken over the copy, the bytes the model will use. A checkpoint's data is
     * read the same way ({@link CheckpointFile}), for the same reasons.
     *
     * <p>The copy is native memory, which {@code -Xmx} does not bound: a size this machine cannot
     * allocate is refused naming the file and the size (a sparse 30 GB file said "not enough
     * memory ... give the JVM more (VLSTM_JAVA_OPTS=-Xmx...)").
     *
     * @param contents what the data is, for that message ("weights")
     */
    static MemorySegment copyOfData(FileChannel ch, long start, long bytes, Arena owner, Path file, String contents) {
        MemorySegment copy;
        try {
            copy = owner.allocate(bytes, ModelFile.ALIGN);
        } catch (OutOfMemoryError e) {
            throw new ModelFileException(file + " needs " + (bytes >> 20) + " MB of memory for its " + contents + "; this machine could not give it", e);
        }
        try (Arena mapping = Arena.ofConfined()) {
            if (ch.size() < start + bytes) throw new ModelFile.Shrank(file, null);
            copy.copyFrom(ch.map(FileChannel.MapMode.READ_ONLY, start, bytes, mapping));
        } catch (InternalError e) {
            // A fault reading the mapping (SIGBUS): its pages went past the file's end while we read them. The file was
            // short then even when another writer has grown it back since (a size looked at now blamed memory).
            throw new ModelFile.Shrank(file, e);
        } catch (IOException e) {
            // Said as shrunk only when it did: a mapping refused for want of address space is not the file's fault.
            if (shrankBelow(ch, start + bytes)) throw new ModelFile.Shrank(file, e);
            throw new ModelFileException("cannot read " + file + " (" + e.getMessage() + "): not enough memory to map and copy its "
                    + (bytes >> 20) + " MB? Give the process more (VLSTM_JAVA_OPTS, ulimit -v)", e);
        }
        return copy;
    }

    /** {@link #copyOfData(FileChannel, long, long, Arena, Path, String)} of a model's weights. */
    static MemorySegment copyOfData(FileChannel ch, long start, long bytes, Arena owner, Path file) {
        return copyOfData(ch, start, bytes, owner, file, "weights");
    }

    private static boolean shrankBelow(FileChannel ch, long size) {
        try {
            return ch.size() < size;
        } catch (IOException e) {
            return false;
        }
    }

    /** The weights as the engine reads them (native order): the mapping itself on little-endian machines. */
    static MemorySegment nativeOrder(MemorySegment littleEndian, Arena arena) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) return littleEndian;
        MemorySegment copy = arena.allocate(littleEndian.byteSize(), ModelFile.ALIGN);
        for (long i = 0; i < littleEndian.byteSize() / Float.BYTES; i++) copy.setAtIndex(ValueLayout.JAVA_FLOAT, i, littleEndian.getAtIndex(ModelFile.LE_FLOAT, i));
        return copy;
    }

    static void writeLittleEndian(FileChannel ch, MemorySegment segment, long bytes) throws IOException {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (long off = 0; off < bytes; off += 1 << 30) AtomicFile.writeFully(ch, segment.asSlice(off, Math.min(1 << 30, bytes - off)).asByteBuffer());
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < bytes / Float.BYTES; i++) {
            buf.putFloat(segment.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            if (!buf.hasRemaining()) { AtomicFile.writeFully(ch, buf.flip()); buf.clear(); }
        }
        AtomicFile.writeFully(ch, buf.flip());
    }

    /** CRC over the bytes as stored (little-endian), 1 GiB at a time (a ByteBuffer's limit is 2 GiB). */
    static void updateCrc(CRC32C crc, MemorySegment segment, long bytes) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < bytes / Float.BYTES; i++) crc.update(four.putFloat(0, segment.getAtIndex(ValueLayout.JAVA_FLOAT, i)).array());
        } else {
            for (long off = 0; off < bytes; off += 1 << 30) crc.update(segment.asSlice(off, Math.min(1 << 30, bytes - off)).asByteBuffer());
        }
    }

    static void checkFinite(Tensor t, String name, String problem) {
        checkFinite(t.segment().asSlice(0, t.size() * Float.BYTES), name, problem);
    }

    static void checkFinite(MemorySegment floats, String name, String problem) {
        long n = floats.byteSize() / Float.BYTES;
        for (long i = 0; i < n; i++) {
            if (!Float.isFinite(floats.getAtIndex(ValueLayout.JAVA_FLOAT, i))) throw new ModelFileException(problem + ": " + name + "[" + i + "] is " + floats.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
    }
}
