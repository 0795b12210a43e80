package vectorlstm.data.imdb;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.zip.ZipException;
import vectorlstm.data.DataException;
import vectorlstm.data.TextDataset;
import vectorlstm.text.StrictGzipInputStream;

/**
 * Streams the regular files out of a tar (or .tar.gz) archive without extracting it.
 *
 * <p>Understands ustar (name + prefix), GNU long names ('L') and pax extended headers ('x', whose
 * {@code path} and {@code size} are honoured); directories, links and other entry types are
 * skipped. Every problem becomes a {@link DataException} naming the archive and the entry, so a
 * half-downloaded file reads as "truncated archive: unexpected end inside ..." rather than as a
 * stack trace from deep inside the decompressor.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    private static final int STREAM_BUFFER = 1 << 16;

    private final InputStream in;
    private final String archiveName;
    private final TarVisitor visitor;
    private final byte[] header = new byte[BLOCK];
    // One content buffer for every wanted file (grown to the largest), one scratch for skipping.
    private byte[] content = new byte[STREAM_BUFFER];
    private final byte[] scratch = new byte[STREAM_BUFFER];
    private long offset;
    // What is being read, for error messages: an entry's path or a header's description.
    private String where = "a tar header at the start";
    private String previousEntry;
    private final PendingMeta pending = new PendingMeta();

    private TarReader(InputStream in, String archiveName, TarVisitor visitor) {
        this.in = in;
        this.archiveName = archiveName;
        this.visitor = visitor;
    }

    /**
     * Reads a gzip-compressed tar file, calling {@code visitor} for each regular file. Bytes after
     * the gzip data other than zero padding are refused ({@link StrictGzipInputStream}): the JDK's
     * own reader drops them silently.
     */
    public static void readTarGz(Path archive, TarVisitor visitor) {
        String name = archive.toString();
        try (InputStream file = Files.newInputStream(archive)) {
            InputStream gz;
            try {
                gz = new StrictGzipInputStream(new BufferedInputStream(file, STREAM_BUFFER), STREAM_BUFFER);
            } catch (EOFException | ZipException e) {
                throw new DataException(name + ": not a gzip file" + reason(e), e);
            }
            // Buffered again after decompression: headers are read 512 bytes at a time, and each
            // unbuffered read would be a separate call into the native inflater.
            read(new BufferedInputStream(gz, STREAM_BUFFER), name, visitor);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": archive does not exist", e);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read archive: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an uncompressed tar stream (which may be a decompressing stream), calling
     * {@code visitor} for each regular file. {@code archiveName} is used in error messages only.
     */
    public static void read(InputStream tar, String archiveName, TarVisitor visitor) {
        new TarReader(tar, archiveName, visitor).run();
    }

    private void run() {
        while (readHeader()) {
            TarHeader h = TarHeader.parse(header, offset - BLOCK, this::fail);
            if (h.isMeta()) {
                where = h.describeMeta() + (previousEntry == null ? " at the start" : " after " + previousEntry);
                byte[] meta = readMeta(h.size());
                if (h.type() == TarHeader.GNU_LONG_NAME) {
                    pending.path = trimNul(meta);
                } else if (h.type() == TarHeader.PAX_HEADER) {
                    pending.applyPax(meta, this::fail);
                }
                skip(padding(h.size()));
            } else {
                String path = pending.path != null ? pending.path : h.path();
                long size = h.hasData() ? (pending.size >= 0 ? pending.size : h.size()) : 0;
                pending.clear();
                where = path;
                if (h.isRegularFile() && !path.endsWith("/") && visitor.wants(path)) {
                    byte[] data = readContent(size);
                    requireWholeEntry(data, size);
                    visitor.file(path, data, (int) size);
                } else {
                    skip(size);
                    skip(padding(size));
                }
                previousEntry = path;
            }
            where = nextHeader();
        }
    }

    private String nextHeader() {
        return previousEntry == null ? "a tar header at the start" : "the tar header after " + previousEntry;
    }

    /** Reads the next header block; false at the end-of-archive marker (a zero block). */
    private boolean readHeader() {
        int n = readUpTo(header, 0, BLOCK);
        if (n == 0) {
            throw fail(previousEntry == null
                    ? "truncated archive: unexpected end before the first entry"
                    : "truncated archive: unexpected end after " + previousEntry + " (no end-of-archive marker)");
        }
        if (n < BLOCK) {
            throw fail("truncated archive: unexpected end inside " + where);
        }
        for (byte b : header) {
            if (b != 0) {
                return true;
            }
        }
        drainToEnd();
        return false;
    }

    /**
     * Reads whatever follows the end marker (the second zero block and the record's zero padding,
     * then the gzip trailer and any bytes after it), so a damaged, cut-off or appended-to tail is
     * still noticed through the gzip CRC, length and trailing-bytes checks. Everything after the
     * marker must be zeros: a lone zero block in the middle of an archive (GNU tar: "A lone zero
     * block") used to end it silently, dropping every review after it.
     */
    private void drainToEnd() {
        long marker = offset - BLOCK;
        where = "the end of the archive";
        for (int n; (n = readUpTo(scratch, 0, scratch.length)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (scratch[i] != 0) {
                    throw fail("data after the end-of-archive marker at byte " + marker + " (a lone zero block inside the archive, after "
                            + (previousEntry == null ? "no entry" : previousEntry) + "): the archive is damaged");
                }
            }
        }
    }

    private byte[] readMeta(long size) {
        if (size > 1 << 20) {
            throw fail("implausibly large (" + size + " bytes) extended header in " + where);
        }
        byte[] data = new byte[(int) size];
        readFully(data, (int) size);
        return data;
    }

    /**
     * The most bytes a wanted entry may hold. IMDB's longest review is about 14 KB; a header that
     * claims 2 GB in a few-KB archive used to reserve the 2 GB before reading a byte.
     */
    static final int MAX_ENTRY_BYTES = TextDataset.MAX_TEXT_BYTES;

    private byte[] readContent(long size) {
        if (size > MAX_ENTRY_BYTES) {
            throw fail("an entry of " + size + " bytes is larger than a review can be (at most " + (MAX_ENTRY_BYTES >> 20) + " MiB): " + where);
        }
        if (content.length < size) {
            content = new byte[(int) Math.max(size, content.length * 2L)];
        }
        readFully(content, (int) size);
        return content;
    }

    /**
     * Refuses an entry whose header's size cuts its data short within the last block: the rest of
     * a review went to the padding (a review read as "rev"). Tar pads with zeros. A size made
     * longer reads the padding's zeros as data, which the reader of texts refuses (ImdbDataset);
     * a size off by whole blocks already ends in a bad header further on.
     */
    private void requireWholeEntry(byte[] data, long size) {
        int pad = (int) padding(size);
        readFully(scratch, pad);
        for (int i = 0; i < pad; i++) {
            if (scratch[i] != 0) throw fail("the padding after " + where + " is not zeros: the header's size (" + size + " bytes) cuts the data short (a damaged archive)");
        }
    }

    private void readFully(byte[] buffer, int length) {
        if (readUpTo(buffer, 0, length) < length) {
            throw fail("truncated archive: unexpected end inside " + where);
        }
    }

    private void skip(long length) {
        long left = length;
        while (left > 0) {
            int chunk = (int) Math.min(left, scratch.length);
            if (readUpTo(scratch, 0, chunk) < chunk) {
                throw fail("truncated archive: unexpected end inside " + where);
            }
            left -= chunk;
        }
    }

    /** Reads until {@code length} bytes or end of stream; maps decompressor errors to ours. */
    private int readUpTo(byte[] buffer, int start, int length) {
        int done = 0;
        try {
            while (done < length) {
                int n = in.read(buffer, start + done, length - done);
                if (n < 0) {
                    break;
                }
                done += n;
            }
        } catch (EOFException e) {
            throw fail("truncated archive: unexpected end inside " + where + reason(e), e);
        } catch (StrictGzipInputStream.TrailingGarbageException e) {
            throw fail(e.getMessage(), e); // says where the gzip data ends; "inside <entry>" would mislead
        } catch (ZipException e) {
            throw fail("corrupt compressed data inside " + where + reason(e), e);
        } catch (IOException e) {
            throw fail("cannot read archive inside " + where + ": " + e.getMessage(), e);
        }
        offset += done;
        return done;
    }

    /** {@code " (the JDK's reason)"}, or nothing when it gave none. */
    private static String reason(IOException e) {
        return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static String trimNul(byte[] name) {
        int end = name.length;
        while (end > 0 && name[end - 1] == 0) {
            end--;
        }
        return new String(name, 0, end, StandardCharsets.UTF_8);
    }

    private DataException fail(String reason) {
        return fail(reason, null);
    }

    private DataException fail(String reason, Throwable cause) {
        return new DataException(archiveName + ": " + reason, cause);
    }

    /** Settings a GNU long-name or pax header makes for the entry that follows it. */
    private static final class PendingMeta {
        String path;
        long size = -1;

        void clear() {
            path = null;
            size = -1;
        }

        void applyPax(byte[] records, Function<String, DataException> fail) {
            PaxRecords.forEach(records, fail, (key, value) -> {
                if (key.equals("path")) {
                    path = value;
                } else if (key.equals("size")) {
                    try {
                        size = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw fail.apply("bad pax size '" + value + "'");
                    }
                    if (size < 0) throw fail.apply("bad pax size '" + value + "'");  // -1 would read as "no pax size" and the header's be used
                }
            });
        }
    }
}
