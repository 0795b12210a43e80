package vectorlstm.io;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import vectorlstm.layers.Shape;
import vectorlstm.model.Sequential;

/**
 * One model in one file (format version 2), laid out as a
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> file so that Python reads
 * the weights with {@code safetensors.numpy.load_file} or twenty lines of numpy:
 *
 * <pre>
 *   8 bytes   header length n, unsigned little-endian
 *   n bytes   header, UTF-8 JSON, padded with spaces so the data starts at a multiple of 64:
 *               "__metadata__": {"format": "vector-lstm", "version": "2",
 *                                "vlstm.model": JSON text of layers, loss, labels, maxlen,
 *                                               text preprocessing, tokenizer, weight list,
 *                                "vlstm.crc32c": CRC-32C of that JSON text and of all data bytes}
 *               "embedding/embeddings": {"dtype": "F32", "shape": [5000, 32], "data_offsets": [0, 640000]},
 *               ... one entry per weight, in file order; "__padding_N__" (U8) entries fill the gaps
 *               that keep every weight 64-byte aligned (safetensors allows no holes)
 *   data      float32 little-endian, row-major, Keras layouts
 * </pre>
 *
 * <p>Loading maps the file ({@link FileChannel#map}) and copies its data once into memory of the
 * model's own, then unmaps it: no initialiser, no optimizer state, any size. Every size in the
 * header is checked against the file before anything is built; the checksum and a NaN scan run
 * over the copy. A loaded model never reads its file again, so the file may be replaced in any
 * way ({@code mv}, {@code cp}, an editor) while it is loaded: the model goes on with the weights
 * it loaded until it is loaded again. Saving writes a temporary file, forces it to disk and
 * renames it over the target ({@link AtomicFile}). Version 1 files (our earlier format) still
 * load ({@link LegacyModelFile}).
 *
 * <p>This class is the format's public face and its constants. Saving is {@link ModelFileWriter},
 * loading and its checks {@link ModelFileReader}, the sizes a model may ask for
 * {@link ModelFileLimits}, the data's bytes {@link TensorData}.
 */
public final class ModelFile {
    static final long ALIGN = 64;
    /**
     * Far above any real header (a 100,000-word tokenizer is about 3 MB), and below memory trouble:
     * parsing a 250 MB header took 6.6 GB of heap.
     */
    static final long MAX_HEADER_BYTES = 64L << 20;
    /**
     * Longest input sequence a model file may declare. No weight's size depends on it, so the
     * file size cannot bound it; without a cap a forged description could make scoring allocate
     * gigabytes. The same cap as {@code --maxlen}.
     */
    public static final int MAX_SEQUENCE_LENGTH = Shape.MAX_STEPS;
    static final String FORMAT = "vector-lstm", VERSION = "2";
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /**
     * The most working memory scoring one sequence may need beside the weights (every layer's
     * batch-1 state at the model's length). The seed model needs 2.8 MiB, a 2,000-step
     * BiLSTM(256) → LSTM(128) on 300-d vectors 94 MB; a forged file of 65 KB (a 1,000-wide
     * Embedding at 100,000 steps under a Dropout) asked for 2.4 GB a prediction, and the batch path
     * multiplies that by its rows. Training needs the batch size times as much.
     */
    public static final long MAX_SEQUENCE_WORKING_BYTES = 1L << 30;

    private ModelFile() {}

    /**
     * Saves a compiled model with what it needs to score text again. {@code labels} may be empty
     * (the class ids are stored then); {@code maxlen} must be the model's input length.
     *
     * @throws ModelFileException           the model cannot be saved as it is (not compiled, broken weights)
     * @throws java.io.UncheckedIOException the file could not be written (the file that was there is intact)
     */
    public static void save(Path file, SavedModel saved) {
        if (file == null) throw new IllegalArgumentException("no model file given (null)");
        if (saved == null) throw new IllegalArgumentException("no model given (null)");
        ModelFileWriter.save(file, saved);
    }

    /**
     * True when {@code file} is a regular file that starts like a model file of either version
     * (what {@code train --save} may replace without {@code --force}). Reads only the header.
     */
    public static boolean isModelFile(Path file) {
        return ModelFileReader.isModelFile(file);
    }

    /** Loads a model file of either version; see the class comment. */
    public static SavedModel load(Path file) {
        if (file == null) throw new IllegalArgumentException("no model file given (null)");
        return ModelFileReader.load(file);
    }

    /**
     * The checks {@link #load} makes before it reads the data (the header, each tensor's bytes
     * inside the file and against the description), without copying or allocating the data: a server runs them before it
     * copies the file, so a small file whose header claims a terabyte is refused as such. A
     * version-1 file is checked by its load alone.
     *
     * @throws ModelFileException what load would say of the header
     */
    public static void checkHeader(Path file) {
        ModelFileReader.checkHeader(file);
    }

    /**
     * Refuses what {@link #save} would refuse for a model this build could not load again (the
     * working memory {@link #MAX_SEQUENCE_WORKING_BYTES}, the header {@link #MAX_HEADER_BYTES}):
     * training calls it before the first epoch, so no one trains for hours a model that cannot be
     * saved. The model must be built (compiled); the header is sized as save writes it, apart
     * from the training history that save adds (about a hundred bytes an epoch).
     *
     * @throws ModelFileException saying which limit and by how much
     */
    public static void checkLoadable(SavedModel saved) {
        ModelFileLimits.checkLoadable(saved);
    }

    /**
     * The most steps one sequence may have on this model: its input length when fixed; for a model
     * of any length, the most whose working memory stays within the {@link #MAX_SEQUENCE_WORKING_BYTES}
     * a fixed-length model file may ask for (at most {@link #MAX_SEQUENCE_LENGTH}). A model of any
     * length is sized by each input, so the limit is applied to each input (a 197 KB file with a
     * 16,384-wide embedding took 6.5 GB for one line of 100,000 ids), not to the file: a wide
     * model stays usable on the lengths it was made for.
     */
    public static int maxSteps(Sequential model) {
        return ModelFileLimits.maxSteps(model);
    }

    /** Why a model reads no more than {@code maxSteps} (from {@link #maxSteps}): empty at the usual limit. */
    public static String stepsLimitReason(int maxSteps) {
        return ModelFileLimits.stepsLimitReason(maxSteps);
    }

    /** The file was cut short while it was read (rewritten in place): it may be whole again soon, so it is not called damaged. */
    public static final class Shrank extends ModelFileException {
        Shrank(Path file, Throwable cause) {
            super(file + " shrank while it was being loaded (rewritten in place?): try again once it is whole", cause);
        }
    }
}
