package vectorlstm.data.vowels;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import vectorlstm.data.DataException;
import vectorlstm.data.imdb.Downloader;

/**
 * Downloads UCI's zip and installs its data files as {@code <cache>/japanese-vowels/}.
 *
 * <p>No SHA-256 is pinned: no copy of UCI's zip was reachable when this was written, so there was
 * no checksum we could vouch for (the log shows the one downloaded, to pin later). Instead nothing
 * reaches the cache unchecked: the archive's own CRC-32 per file catches a damaged transfer, and
 * the files are fully parsed, block counts against {@code size_ae.*}, in a temporary folder that
 * is renamed into place only if that succeeds. A crash or a second process at the same time thus
 * never leaves a half-written {@code japanese-vowels/} folder.
 */
final class VowelsDownload {
    /** UCI's zip is about 0.4 MB. */
    static final long MAX_ZIP_BYTES = 16L << 20;

    private VowelsDownload() {
    }

    /** @return the installed folder, {@code cacheDir/japanese-vowels} */
    static Path install(URI source, Path cacheDir, Downloader downloader, PrintStream log) {
        Path target = cacheDir.resolve(VowelsLocator.FOLDER);
        Path zip = null;
        Path unpacked = null;
        try {
            Files.createDirectories(cacheDir);
            zip = Files.createTempFile(cacheDir, "japanese+vowels.", ".zip.part");
            log.println("Downloading the Japanese Vowels data from " + source + " to " + target);
            String sha256 = download(source, zip, downloader);
            log.println("Downloaded " + Files.size(zip) + " bytes, SHA-256 " + sha256 + " (not pinned, see VowelsDownload)");
            unpacked = Files.createTempDirectory(cacheDir, VowelsLocator.FOLDER + ".");
            VowelsZip.unpack(zip, unpacked);
            JapaneseVowels.load(unpacked); // throws, naming the file and line, if the content is wrong
            moveIntoPlace(unpacked, target);
            unpacked = null;
            return target;
        } catch (IOException e) {
            throw new DataException("could not download " + source + " into " + cacheDir + ": " + DataException.reason(e) + ". "
                    + byHand(source, target), e);
        } catch (DataException e) {
            throw new DataException(e.getMessage() + ". " + byHand(source, target), e);
        } finally {
            deleteQuietly(zip);
            deleteQuietly(unpacked);
        }
    }

    private static String download(URI source, Path zip, Downloader downloader) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (OutputStream out = new DigestOutputStream(new Capped(
                new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16), MAX_ZIP_BYTES, source), sha256)) {
            downloader.download(source, out, (done, total) -> { });
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Another process may have installed the folder meanwhile: then its copy is kept and ours dropped. */
    private static void moveIntoPlace(Path unpacked, Path target) throws IOException {
        try {
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(unpacked, target);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Files.isRegularFile(target.resolve(JapaneseVowels.TRAIN_FILE))) {
                throw new IOException(target + " exists but holds no " + JapaneseVowels.TRAIN_FILE
                        + "; remove it and try again", e);
            }
        }
    }

    private static String byHand(URI source, Path target) {
        return "To get it by hand: download " + source + " (e.g. curl -L -O '" + source + "'), unzip it, and point "
                + "--data at the folder holding ae.train, ae.test, size_ae.train and size_ae.test, or put them in "
                + target;
    }

    /** Deletes a file, or a folder and the files in it (ours hold no sub-folders); best effort. */
    private static void deleteQuietly(Path path) {
        if (path == null) return;
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.forEach(f -> {
                        try {
                            Files.deleteIfExists(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException ignored) {
            // A stray temporary file is harmless, and named so as to be recognisable.
        }
    }

    /** Fails the download once it passes a size no real archive has, rather than filling the disk. */
    private static final class Capped extends FilterOutputStream {
        private final long limit;
        private final URI source;
        private long written;

        Capped(OutputStream out, long limit, URI source) {
            super(out);
            this.limit = limit;
            this.source = source;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(int n) throws IOException {
            written += n;
            if (written > limit) {
                throw new IOException(source + " sent more than " + limit + " bytes; UCI's zip is about 0.4 MB");
            }
        }
    }
}
