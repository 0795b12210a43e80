package vectorlstm.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.importer.FileKind;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;

/**
 * Imports a model saved by Keras: a legacy {@code .h5} file (Keras 2, or Keras 3's
 * {@code save("m.h5")}) or a Keras 3 {@code .keras} archive, recognised by its first bytes, not
 * its name. The result scores the same ids to the same outputs (within float rounding; see
 * docs/import.md for the parity checks) and can be saved as a vector-lstm model file.
 *
 * <pre>{@code
 * try (Imported imported = KerasImporter.importKeras(Path.of("imdb_lstm.h5"))) {
 *     float p = imported.saved().model().predict(new int[][] {ids}, 1)[0];
 * }
 * }</pre>
 */
public final class KerasImporter {
    private KerasImporter() {}

    public static Imported importKeras(Path file) {
        if (file == null) throw new IllegalArgumentException("no Keras file given (null)");
        FileKind.requireRegularFile(file);
        try {
            return switch (FileKind.of(file)) {
                case HDF5 -> fromH5(file);
                case ZIP -> fromArchive(file);
                case OTHER -> throw new ImportException(file + " is neither a Keras .h5 (HDF5) file nor a .keras (zip) archive: " + FileKind.describeStart(file)
                        + (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? " (an ONNX model? OnnxImporter reads those: ./lstm import --onnx)" : ""));
            };
        } catch (ImportException e) {
            throw namingTheFile(e, file);
        } catch (OutOfMemoryError e) {
            throw ImportException.outOfMemory(file, e);
        }
    }

    /** The error as the user sees it names the file: the layer and weight checks below know only their part of it. */
    private static ImportException namingTheFile(ImportException e, Path file) {
        String message = String.valueOf(e.getMessage());
        String name = file.getFileName().toString();
        if (message.contains(file.toString()) || message.startsWith(name + ":") || message.startsWith(name + " ")) return e;
        return new ImportException(file + ": " + message, e);
    }

    private static Imported fromH5(Path file) {
        String where = file.getFileName().toString();
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // a short read: keep reading until 64 bytes or the end of the file
            }
            H5Length.check(head.flip(), ch.size(), where);
            if (ch.size() > Integer.MAX_VALUE) {
                // jhdf's own file reader, the only one that takes more, allocates forged region sizes on the heap (below).
                throw new ImportException(where + " is " + ch.size() + " bytes: a Keras .h5 file over 2 GiB is more than this importer reads"
                        + " (a text RNN's weights take megabytes; one weight may take at most 1 GiB)");
            }
            // Read through a buffer over the file, not jhdf's file reader: once a region that a
            // corrupt size field puts beyond the end fails to map, that reader allocates every
            // region it is asked for on the heap, at the size the file claims (a gigabyte for one
            // flipped byte in a heap header). Over a buffer such a region is an error, not an allocation.
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (HdfFile h5 = HdfFile.fromByteBuffer(mapped)) {
            Attribute config = h5.getAttribute("model_config");
            if (config == null) {
                throw new ImportException(where + " has no model_config: it holds weights only (model.save_weights); save the whole model with model.save()");
            }
            Node weights = h5.getChild("model_weights");
            if (!(weights instanceof Group group)) throw new ImportException(where + " has no model_weights group");
            String version = stringAttribute(h5, "keras_version");
            if (version == null) version = stringAttribute(group, "keras_version");
            KerasModelConfig model = KerasModelConfig.parse(H5Strings.one(config.getData(), "model_config"), where);
            return new KerasModelBuilder(model, new LegacyH5Weights(group), version, "legacy .h5 (HDF5)").build();
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {  // jhdf's HdfException and the buffer errors of a cut file
            throw new ImportException(file + " is not a readable HDF5 file (truncated or corrupt?); the HDF5 reader stopped at: " + ImportException.readerSaid(e), e);
        } catch (StackOverflowError e) {
            throw linksTooDeep(file.toString());
        }
    }

    private static Imported fromArchive(Path file) {
        KerasArchive archive = KerasArchive.read(file);
        String where = file.getFileName().toString();
        String version = archive.metadata() == null ? null : metadataVersion(archive.metadata(), where);
        KerasModelConfig model = KerasModelConfig.parse(archive.config(), where + " config.json");
        try (HdfFile h5 = HdfFile.fromBytes(archive.weights())) {  // read to the end its superblock records (KerasArchive)
            return new KerasModelBuilder(model, new Keras3Weights(h5, model.layers()), version == null ? "3" : version, ".keras archive").build();
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImportException(where + ": model.weights.h5 is not a readable HDF5 file (truncated or corrupt?); the HDF5 reader stopped at: "
                    + ImportException.readerSaid(e), e);
        } catch (StackOverflowError e) {
            throw linksTooDeep(where + ": model.weights.h5");
        }
    }

    /**
     * jhdf follows soft links and resolves paths by recursion, with no depth limit: a link to itself
     * or a path thousands of groups deep ends in a StackOverflowError, which unwinds to here.
     */
    private static ImportException linksTooDeep(String where) {
        return new ImportException(where + ": its HDF5 links loop or nest too deeply to follow (a soft link to itself, or a path"
                + " thousands of groups deep): a corrupt or hand-made file, not one Keras wrote");
    }

    private static String metadataVersion(String json, String where) {
        try {
            JsonNode v = new ObjectMapper().readTree(json).get("keras_version");
            return v != null && v.isTextual() ? v.textValue() : null;
        } catch (Exception e) {
            throw new ImportException(where + ": metadata.json is not valid JSON", e);
        }
    }

    private static String stringAttribute(Node node, String name) {
        Attribute a = node.getAttribute(name);
        return a == null ? null : H5Strings.one(a.getData(), name);
    }

    static List<String> notes(String container, String version) {
        List<String> notes = new ArrayList<>();
        notes.add("Keras " + (version == null ? "(version not recorded)" : version) + ", " + container);
        return notes;
    }
}
