package vectorlstm.text;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The one gzip reader of the project (the IMDB archive, gzipped word vectors). It reads as
 * {@link java.util.zip.GZIPInputStream} does, members one after another as {@code gzip -d} does,
 * with one difference: what follows the last member. The JDK stops at the first bytes that are not
 * another member's header and drops them without a word; {@code gzip -d} warns "trailing garbage
 * ignored". A download resumed at the wrong offset, two files run together, or a damaged tail look
 * just like that, so here every byte after the last member must be zero (tape or block padding,
 * which {@code gzip -d} accepts silently too), or the read fails with a
 * {@link TrailingGarbageException}.
 *
 * <p>Other errors are the JDK's kinds: {@link EOFException} when the data ends early (inside a
 * header, the deflate data or a trailer), {@link ZipException} for a bad header or deflate data,
 * or a trailer whose CRC-32 or length does not match.
 */
public final class StrictGzipInputStream extends InputStream {
    private static final int MAGIC = 0x8b1f; // 1f 8b, little-endian
    private static final int DEFLATE = 8;
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, RESERVED = 0xe0;
    /** The parts of a member that {@link #readByte} names when the data ends inside one. */
    private static final String HEADER = "header", TRAILER = "trailer";

    /** Bytes after the last gzip member that are not zero padding. */
    public static final class TrailingGarbageException extends ZipException {
        private static final long serialVersionUID = 1L;

        TrailingGarbageException(long end, long at, int value) {
            super(String.format(Locale.ROOT, "trailing garbage after the gzip data, which ends at byte %d: byte %d is 0x%02x,"
                    + " neither zero padding nor the start of another gzip member (gzip -d ignores such bytes"
                    + " with a warning; a damaged download or two files run together look like this)", end, at, value));
        }
    }

    private final InputStream in;
    private final Inflater inflater = new Inflater(true); // raw deflate: we parse the gzip framing
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private final byte[] buf;
    // buf[pos, lim) is input that neither the inflater nor the header/trailer parser has taken yet.
    private int pos;
    private int lim;
    private long filled; // bytes read from `in`, for the offsets in messages
    private boolean eof;
    private boolean closed;
    private final byte[] one = new byte[1];

    /** Reads the first member's header now, as GZIPInputStream's constructor does. */
    public StrictGzipInputStream(InputStream in, int bufferSize) throws IOException {
        this.in = Objects.requireNonNull(in);
        this.buf = new byte[bufferSize];
        try {
            readHeader(true);
        } catch (IOException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("stream closed");
        if (len == 0) return 0;
        while (!eof) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage() != null ? e.getMessage() : "invalid deflate data");
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                endOfMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("deflate data asks for a preset dictionary, which gzip never uses");
            } else if (inflater.needsInput()) {
                if (pos == lim && fill() < 0) throw new EOFException("Unexpected end of gzip data (inside the compressed data)");
                inflater.setInput(buf, pos, lim - pos);
                pos = lim; // the inflater holds these bytes now; what it leaves is taken back in endOfMember
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        inflater.end();
        in.close();
    }

    /** Checks the trailer, then reads the next member's header, or checks that only zeros follow. */
    private void endOfMember() throws IOException {
        pos = lim - inflater.getRemaining();
        long storedCrc = readLeInt();
        long storedSize = readLeInt();
        if (storedCrc != crc.getValue()) throw new ZipException("Corrupt GZIP trailer (CRC-32 does not match the data)");
        if (storedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("Corrupt GZIP trailer (length does not match the data)");
        }
        long end = offset();
        int next = readByteOrEnd();
        if (next == 0x1f) { // another member, as `cat a.gz b.gz` makes
            pos--; // readByteOrEnd has just taken it from buf, so it is still there
            readHeader(false);
            return;
        }
        for (int b = next; b >= 0; b = readByteOrEnd()) {
            if (b != 0) throw new TrailingGarbageException(end, offset() - 1, b);
        }
        eof = true;
    }

    /** RFC 1952's member header; leaves the inflater and CRC ready for the member's data. */
    private void readHeader(boolean first) throws IOException {
        long start = offset();
        headerCrc.reset();
        int id1 = headerByte();
        int id2 = headerByte();
        if ((id1 | id2 << 8) != MAGIC) {
            if (!first) throw new TrailingGarbageException(start, start + 1, id2);
            throw new ZipException("Not in GZIP format");
        }
        if (headerByte() != DEFLATE) throw new ZipException("Unsupported compression method");
        int flags = headerByte();
        // RFC 1952: a decompressor must give an error if a reserved bit is set (gzip -d does).
        if ((flags & RESERVED) != 0) throw new ZipException("reserved gzip header flags set: " + flags);
        for (int i = 0; i < 6; i++) headerByte(); // MTIME, XFL, OS
        if ((flags & FEXTRA) != 0) {
            int length = headerByte() | headerByte() << 8;
            for (int i = 0; i < length; i++) headerByte();
        }
        if ((flags & FNAME) != 0) while (headerByte() != 0) { }
        if ((flags & FCOMMENT) != 0) while (headerByte() != 0) { }
        if ((flags & FHCRC) != 0) {
            int expected = (int) (headerCrc.getValue() & 0xffff);
            if ((readByte(HEADER) | readByte(HEADER) << 8) != expected) throw new ZipException("Corrupt GZIP header (header CRC)");
        }
        inflater.reset();
        crc.reset();
    }

    private int headerByte() throws IOException {
        int b = readByte(HEADER);
        headerCrc.update(b);
        return b;
    }

    private long readLeInt() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) v |= (long) readByte(TRAILER) << (8 * i);
        return v;
    }

    /** A byte of a member's {@code part}: the data must not end there. */
    private int readByte(String part) throws IOException {
        int b = readByteOrEnd();
        if (b < 0) throw new EOFException("Unexpected end of gzip data (inside a member's " + part + ")");
        return b;
    }

    private int readByteOrEnd() throws IOException {
        if (pos == lim && fill() < 0) return -1;
        return buf[pos++] & 0xff;
    }

    /** Refills buf once all of it has been taken; -1 at the end of the input. */
    private int fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) return -1;
        pos = 0;
        lim = n;
        filled += n;
        return n;
    }

    /** Position in the input of buf[pos]. */
    private long offset() {
        return filled - (lim - pos);
    }
}
