package vectorlstm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vectorlstm.data.DataException;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.model.Sequential;
import vectorlstm.memory.Tensor;
import vectorlstm.text.Json;

/**
 * Writes a {@link ModelFile} (always version 2): the model's description and weight list as the
 * safetensors header, then every weight little-endian with the zeros that keep the next one
 * aligned, through {@link AtomicFile} (a temporary file forced to disk and renamed over the
 * target). A model this build could not load again (too much working memory, too large a header:
 * {@link ModelFileLimits}, which sizes the header with {@link #header}) or with broken weights is
 * refused before anything is written.
 */
final class ModelFileWriter {
    private ModelFileWriter() {}

    /** {@link ModelFile#save}. */
    static void save(Path file, SavedModel saved) {
        Sequential model = saved.model();
        if (model.isClosed()) throw new IllegalStateException("the model is closed: nothing to save");
        if (model.loss() == null) throw new ModelFileException("compile the model before saving it (the file records its loss)");
        String tooLarge = ModelFileLimits.workingMemoryProblem(model);
        if (tooLarge != null) throw new ModelFileException("cannot save: " + tooLarge + ", so the file could not be loaded again");
        byte[] description = Json.write(ModelDescription.describe(saved)).getBytes(StandardCharsets.UTF_8);
        List<ModelDescription.WeightEntry> entries = ModelDescription.weights(model);
        // The weights are read twice (the checksum, then the bytes): held still in between, or a write on another thread
        // (a fit, a setWeights) made a file that failed its own checksum, saved as a success over the good one.
        model.readingWeights(() -> {
            write(file, model, description, entries);
            return null;
        });
    }

    private static void write(Path file, Sequential model, byte[] description, List<ModelDescription.WeightEntry> entries) {
        List<Tensor> tensors = new ArrayList<>();
        for (Layer l : model.layers()) {
            for (Parameter p : l.parameters()) {
                TensorData.checkFinite(p.value(), l.name() + "/" + p.name(), "cannot save: the weights are broken (training diverged?)");
                tensors.add(p.value());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(description);
        for (Tensor t : tensors) {
            TensorData.updateCrc(crc, t.segment(), t.size() * Float.BYTES);
            crc.update(new byte[(int) TensorData.padding(t.size() * Float.BYTES)]);  // the zeros written after it
        }
        byte[] header = header(description, entries, crc);
        if (header.length > ModelFile.MAX_HEADER_BYTES) throw new ModelFileException("cannot save: " + ModelFileLimits.headerProblem(header.length));
        try {
            AtomicFile.write(file, ch -> {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                AtomicFile.writeFully(ch, length);
                AtomicFile.writeFully(ch, ByteBuffer.wrap(header));
                for (Tensor t : tensors) {
                    TensorData.writeLittleEndian(ch, t.segment(), t.size() * Float.BYTES);
                    long pad = TensorData.padding(t.size() * Float.BYTES);
                    if (pad > 0) AtomicFile.writeFully(ch, ByteBuffer.allocate((int) pad));
                }
            });
        } catch (IOException e) {  // the file system's failure (a full disk, a folder in the way), not the model's: the old file is intact
            throw new UncheckedIOException("cannot write model file " + file + ": " + DataException.reason(e), e);
        }
    }

    /** The safetensors JSON header, padded with spaces to end at a multiple of 64 (counting the 8 length bytes). */
    static byte[] header(byte[] description, List<ModelDescription.WeightEntry> entries, CRC32C crc) {
        Map<String, Object> h = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", ModelFile.FORMAT);
        meta.put("version", ModelFile.VERSION);
        meta.put("vlstm.model", new String(description, StandardCharsets.UTF_8));
        meta.put("vlstm.crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
        h.put("__metadata__", meta);
        HeaderJson.TensorTable tensors = new HeaderJson.TensorTable(h);
        for (ModelDescription.WeightEntry e : entries) {
            if (!tensors.add(e.name(), "F32", Arrays.stream(e.shape()).boxed().toList(), e.bytes())) {
                // A '/' in a layer name can meet another layer's weight ("bi/forward_lstm" + "/kernel"):
                // the file would hold one tensor for two weights and not load again.
                throw new ModelFileException("cannot save: two weights are named '" + e.name() + "' (a layer name with '/' meets another layer's weight): rename a layer");
            }
        }
        return HeaderJson.padded(h);
    }
}
