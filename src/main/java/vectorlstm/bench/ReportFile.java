package vectorlstm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import vectorlstm.io.AtomicFile;

/**
 * Bench results on disk. Every problem is one sentence naming the file: an
 * {@link IllegalArgumentException} for a file that is missing or not a results file, an
 * {@link UncheckedIOException} when the disk refuses.
 */
public final class ReportFile {
    private ReportFile() {}

    /** Larger than any results file (a few KB: five benchmarks of tens of samples). */
    static final long MAX_BYTES = 64L << 20;

    public static BenchReport read(Path file) {
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": no such file");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a folder, not a bench results file");
        // Not a device or a pipe: /dev/zero would be read until memory ran out, a FIFO until someone wrote to it.
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + " is not a regular file, not a bench results file");
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new IllegalArgumentException(file + " is " + size + " bytes: not a bench results file (those are a few KB)");
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            if (text.startsWith("\uFEFF")) text = text.substring(1);  // a byte order mark, as an editor may save one
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not a bench results file (not UTF-8 text)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return ReportJson.read(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a bench results file: " + e.getMessage(), e);
        }
    }

    /**
     * An existing {@code file} is only replaced when it holds bench results (never a model, a data
     * set or anything else given by mistake); asked before a long run rather than after it. Whether
     * the file can be written at all is the CLI's common check of every {@code --out}.
     */
    public static void checkReplaceable(Path file) {
        if (!Files.exists(file)) return;
        try {
            read(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + " exists and is not a bench results file: refusing to overwrite it");
        }
    }

    /** Writes to a temporary file beside {@code file} and renames it, so a failure leaves no half file. */
    public static void write(Path file, BenchReport report) {
        try {
            AtomicFile.write(file, ByteBuffer.wrap(ReportJson.write(report).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bench results to " + file + ": " + e.getMessage(), e);
        }
    }
}
