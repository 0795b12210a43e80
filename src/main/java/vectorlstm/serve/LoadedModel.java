package vectorlstm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.DataException;
import vectorlstm.io.ModelFile;
import vectorlstm.io.ModelFileException;

/**
 * One model file as the server serves it, with a reference count: every request holds a
 * reference while it is scored, so a hot reload can retire the old model while requests still use
 * it and close it (freeing its memory) only when the last of them is done.
 */
final class LoadedModel {
    final TextClassifier classifier;
    final Path file;
    /** SHA-256 of the file's bytes, what {@code sha256sum} prints: tells clients which model answered. */
    final String sha256;
    final Instant loadedAt;
    /** Cached: the tokenizer computes it by a walk over its vocabulary. */
    final int vocabularySize;

    /** The slot's own reference plus one per request in flight; -1 once closed. */
    private final AtomicInteger references = new AtomicInteger(1);

    private LoadedModel(TextClassifier classifier, Path file, String sha256) {
        this.classifier = classifier;
        this.file = file;
        this.sha256 = sha256;
        this.loadedAt = Instant.now();
        this.vocabularySize = classifier.tokenizer().vocabularySize();
    }

    /**
     * Loads and checks a model file (the model file's own checks: sizes, CRC, NaN scan) from a
     * private snapshot, so that the SHA-256 the server reports ({@code /v1/model}, each response's
     * model id) is the digest of the very bytes it loaded, even when the file is replaced during
     * the load ({@code cp new.vlstm served.vlstm} truncates, then writes). The snapshot
     * ({@link PrivateCopy}, in java.io.tmpdir) is deleted once loaded: a loaded model never reads
     * its file again. The header is checked first ({@link ModelFile#checkHeader}), and the copy
     * refused when the temp folder has no room for it: neither a forged header nor a sparse file
     * can fill the temp disk.
     */
    static LoadedModel load(Path file, int threads) {
        return load(file, threads, PrivateCopy.folder());
    }

    /** {@link #load(Path, int)} with the private copy made in {@code tempFolder}. */
    static LoadedModel load(Path file, int threads, Path tempFolder) {
        // Named here, before the snapshot: the copy's own errors would name the snapshot, not the user's file.
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a directory, not a model file");
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": no such file");
        // A pipe would block the copy (and a reload) forever, a device such as /dev/zero fill the disk.
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + " is not a regular file (a pipe or device cannot hold a model)");
        try {  // the header's sizes against the file's length, before a copy of what it claims
            ModelFile.checkHeader(file);
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path snapshot = PrivateCopy.make(file, tempFolder);
        try {
            String sha = sha256(snapshot, file);
            TextClassifier classifier;
            try {
                classifier = TextClassifier.load(snapshot);
            } catch (RuntimeException e) {  // name the user's file, not the snapshot
                String message = String.valueOf(e.getMessage()).replace(snapshot.toString(), file.toString());
                throw new IllegalArgumentException(message.startsWith(file.toString()) ? message : file + ": " + message, e);
            }
            PrivateCopy.deleteQuietly(snapshot);  // read whole: not kept through the warm-up, which a kill may cut short
            try {
                classifier.model().threads(threads);  // the batch path's cores (--threads)
                warmUp(classifier);
                return new LoadedModel(classifier, file, sha);
            } catch (RuntimeException | Error e) {
                classifier.close();  // a refused file leaves no memory behind
                throw e;
            }
        } finally {
            PrivateCopy.deleteQuietly(snapshot);
        }
    }

    /** For tests and embedding: serve a classifier built in memory. */
    static LoadedModel of(TextClassifier classifier, int threads) {
        classifier.model().threads(threads);
        warmUp(classifier);
        return new LoadedModel(classifier, Path.of("in-memory"), "in-memory");
    }

    /** The made-up sequence's length for a model that takes any length (about a short review's). */
    private static final int WARM_UP_LENGTH = 200;

    /**
     * Scores one made-up sequence on both paths before the model is served: the first call packs
     * the weights for inference (for a fastText-sized model the vocabulary's input table, about a
     * second), and that belongs to loading, not to the first client. A reload warms the new model
     * before the swap, so requests never wait for it; {@code /ready} turns 200 only after it.
     */
    private static void warmUp(TextClassifier classifier) {
        int[] ids = new int[classifier.maxlen() > 0 ? classifier.maxlen() : WARM_UP_LENGTH];
        int vocabulary = Math.max(2, classifier.tokenizer().vocabularySize());
        for (int i = 0; i < ids.length; i++) ids[i] = 1 + i % Math.min(50, vocabulary - 1);
        classifier.classifySequence(ids);
        classifier.classifySequences(new int[][] {ids});
    }

    /** Takes a reference unless the model is already closed. */
    boolean retain() {
        for (int n = references.get(); n > 0; n = references.get()) {
            if (references.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    /** Gives a reference back; the last one closes the classifier. */
    void release() {
        if (references.decrementAndGet() == 0 && references.compareAndSet(0, -1)) classifier.close();
    }

    /** The first 12 hex digits of the checksum: enough to tell models apart in a response. */
    String shortId() {
        return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
    }

    /** The snapshot's SHA-256; a read error is the snapshot's (its folder's), named as such beside the user's file. */
    private static String sha256(Path snapshot, Path file) {
        try (InputStream in = Files.newInputStream(snapshot)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the private copy of " + file + " at " + snapshot + " (java.io.tmpdir): " + DataException.reason(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
