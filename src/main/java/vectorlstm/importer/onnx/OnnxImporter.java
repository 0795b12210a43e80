package vectorlstm.importer.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx.ModelProto;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Shape;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;

/**
 * Imports the ONNX graphs PyTorch's exporter writes for Embedding → LSTM/GRU (uni- or
 * bidirectional, stacked) → last state → Linear → Sigmoid/Softmax as an engine model with the
 * same weights (docs/import-onnx.md). What cannot be proven to compute what a Keras layer computes
 * is refused with an {@link ImportException} that names the node, initializer or attribute.
 *
 * <pre>{@code
 * try (Imported m = OnnxImporter.importOnnx(Path.of("model.onnx"))) {
 *     ModelFile.save(Path.of("model.vlstm"), m.saved());
 * }
 * }</pre>
 */
public final class OnnxImporter {
    private OnnxImporter() {}

    /**
     * The graph's own sequence length: a fixed one, or any length for a graph exported with a dynamic
     * time axis (each sequence then scores at its own length). The result has no tokenizer and no
     * labels (ids "0", "1", ...).
     */
    public static Imported importOnnx(Path path) {
        return importOnnx(path, 0);
    }

    /**
     * {@code steps}: a fixed length for a graph whose time axis is dynamic (checked against a fixed
     * one; 0: take the graph's, any length for a dynamic axis).
     */
    public static Imported importOnnx(Path path, int steps) {
        if (path == null) throw new IllegalArgumentException("no ONNX file given (null)");
        if (steps < 0 || steps > ModelFile.MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException("steps must be 0 (the graph's) or 1.." + ModelFile.MAX_SEQUENCE_LENGTH + ", got " + steps);
        }
        OnnxFile.Parsed parsed;
        try {
            parsed = OnnxFile.read(path);
        } catch (OutOfMemoryError e) {  // packed int64 values take 8-16 bytes each on the heap, one on disk
            throw ImportException.outOfMemory(path, e);
        }
        ModelParts parts;
        Sequential model;
        try {
            parts = new GraphWalker(parsed.model().getGraph(), parsed.opset(), steps).walk();
            model = ModelAssembler.assemble(parts);  // its refusals too name the file
        } catch (ImportException e) {
            throw new ImportException(path + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {  // the walk's values are bounded (SizeOps.MAX_ENTRIES); a model's weights are not
            throw ImportException.outOfMemory(path, e);
        }
        List<String> notes = new ArrayList<>();
        ModelProto proto = parsed.model();
        notes.add("ONNX opset " + parsed.opset() + (proto.getProducerName().isEmpty() ? "" : ", written by " + proto.getProducerName() + " " + proto.getProducerVersion()));
        String notClassifier = vectorlstm.importer.ClassifierHead.compile(model);
        if (notClassifier != null) notes.add(notClassifier);
        if (parts.steps == Shape.VARIABLE) notes.add("the graph's time axis is dynamic: the model takes sequences of any length, each scored at its own length");
        notes.add("no vocabulary in the file: the model scores token ids");
        return new Imported(new SavedModel(model, null, TextPreprocessing.NONE, null, parts.steps == Shape.VARIABLE ? 0 : parts.steps), notes);
    }
}
