package vectorlstm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import vectorlstm.data.DataException;
import vectorlstm.io.AtomicFile;

/** Output files a command writes (--out): checked before any slow work, written atomically. */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * {@code --out} must be a new file or a regular file in an existing, writable folder; the
     * write itself goes through a temporary file, so nothing is half-written.
     */
    static void checkWritableTarget(Path out) {
        checkNameLength("--out", out);  // first: an empty name is the current folder to the checks below
        Path target = out.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException("--out " + out + " is a folder; give a file name");
        if (Files.exists(target) && !Files.isRegularFile(target)) throw new IllegalArgumentException("--out " + out + " exists and is not a regular file");
        checkFolder("--out", out);
        checkCanWrite("--out", out);
    }

    /**
     * The folder {@code file} will be written in, where its links lead, exists and is writable: the
     * commands never make folders. A link into folders that did not exist was written through, and
     * the write made them ({@link AtomicFile#write} makes a missing folder for the Java API).
     */
    static void checkFolder(String flag, Path file) {
        Path folder;
        try {
            folder = AtomicFile.finalTarget(file).getParent();
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot write there: " + DataException.reason(e));
        }
        if (folder != null && Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot write there: not a folder: " + folder);
        }
        if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new IllegalArgumentException(flag + " " + file + ": folder " + folder + " does not exist or is not writable");
        }
    }

    /**
     * Where {@code file}'s links lead, a new file can be made (a trial one, deleted): a link into a
     * read-only mount or through a file was found only when the finished work was saved.
     */
    static void checkCanWrite(String flag, Path file) {
        try {
            AtomicFile.checkCanWrite(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot write there: " + DataException.reason(e));
        }
    }

    /**
     * An empty (or blank) name, which {@link Path} takes for the current folder, and a file name
     * longer than file systems take (255 bytes) are refused before any work, not after it, when the
     * write would fail ({@code flag}: the option that named it).
     */
    static void checkNameLength(String flag, Path file) {
        if (file.toString().isBlank()) throw new IllegalArgumentException(flag + " needs a file name, got an empty one");
        if (isStandardOutput(file)) {  // written as a file named "-" until a user looked for it on the terminal
            throw new IllegalArgumentException(flag + " -: this command writes a file, not standard output; give a file name (./- for a file named -)");
        }
        Path name = file.getFileName();
        if (name != null && name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(flag + " " + file + ": the file name is longer than " + MAX_NAME_BYTES + " bytes");
        }
    }

    /** The longest file name ext4, xfs, btrfs and tmpfs take, in bytes. */
    static final int MAX_NAME_BYTES = 255;

    /** What a command writes, told by a file's first characters: an existing {@code --out} of another kind is not replaced. */
    enum Kind {
        SVG("an SVG image", "<svg"),
        HTML("an HTML page", "<!doctype html", "<html");

        final String name;
        private final String[] starts;

        Kind(String name, String... starts) {
            this.name = name;
            this.starts = starts;
        }

        /** Whether the file starts (after a byte order mark and white space) as this kind does, case aside. */
        boolean holds(Path file) {
            byte[] head;
            try (var in = Files.newInputStream(file)) {
                head = in.readNBytes(256);
            } catch (IOException e) {
                return false;
            }
            String text = firstElement(new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "").toLowerCase(java.util.Locale.ROOT));
            for (String start : starts) if (text.startsWith(start)) return true;
            return false;
        }

        /**
         * The text from its first element on: an XML declaration, processing instructions,
         * comments and a doctype before it are skipped, so an SVG with a prolog is an SVG while
         * another XML file (a pom.xml) is not. An HTML page's doctype is its start as it is.
         */
        private String firstElement(String text) {
            String rest = text.stripLeading();
            while (this == SVG && (rest.startsWith("<?") || rest.startsWith("<!"))) {
                int end = rest.startsWith("<!--") ? rest.indexOf("-->") + 3 : rest.indexOf('>') + 1;
                if (end <= 0) return "";
                rest = rest.substring(end).stripLeading();
            }
            return rest;
        }
    }

    /**
     * {@link #checkWritableTarget}, and: {@code --out} is none of the run's inputs (the command
     * would replace what it reads), and an existing file there is replaced only when it is already
     * of the kind written (an earlier chart or page) or with {@code --force}: a mistyped
     * {@code --out} must not cost a model or a data file.
     */
    static void checkReplaceable(Path out, Kind kind, boolean force, Path... inputs) {
        checkWritableTarget(out);
        if (!Files.exists(out)) return;
        checkNotAnInput(out, inputs);
        if (!force && !kind.holds(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not " + kind.name + "; choose another name, or add --force to replace it");
        }
    }

    /** An existing {@code --out} is none of the run's inputs (null inputs are skipped), {@code --force} or not: the output would replace what the run reads. */
    static void checkNotAnInput(Path out, Path... inputs) {
        if (!Files.exists(out)) return;
        for (Path input : inputs) {
            try {
                if (input != null && Files.exists(input) && Files.isSameFile(out, input)) {
                    throw new IllegalArgumentException("--out " + out + " is an input of this run (" + input + "); it would be replaced by the output");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + out + ": cannot tell whether it is " + input + " (" + e.getMessage() + ")");
            }
        }
    }

    /** Runs a model save; a write the file system refused (a full disk) is an output failure, exit 3, as for every other output. */
    static void saving(Runnable save) {
        try {
            save.run();
        } catch (UncheckedIOException e) {
            throw new Output.Failed(new IOException(e.getMessage(), e.getCause()));
        }
    }

    /** {@code --out -}: plot's chart and explain's page go to standard output, as a Unix tool's would; the commands that write other files refuse it. */
    static boolean isStandardOutput(Path out) { return out.toString().equals("-"); }

    /**
     * Writes a chart or page to {@code out} ({@link #write}), or to standard output for
     * {@code --out -}; then the command's line, {@code said} of "wrote FILE" or "wrote to standard
     * output", goes on the stream the text left free (standard error when the text took standard
     * output, so a pipe gets the SVG or HTML alone).
     */
    static void writeAndSay(Path out, String text, Streams io, UnaryOperator<String> said) {
        if (isStandardOutput(out)) {
            io.out().print(text);
            io.err().println(said.apply("wrote to standard output"));
        } else {
            write(out, text);
            io.out().line(said.apply("wrote " + out));
        }
    }

    /** Writes {@code text} as UTF-8, atomically; a failed write (a full disk) is an output failure, exit 3. */
    static void write(Path out, String text) {
        try {
            AtomicFile.write(out, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new Output.Failed(new IOException(out + ": " + e.getMessage(), e));
        }
    }
}
