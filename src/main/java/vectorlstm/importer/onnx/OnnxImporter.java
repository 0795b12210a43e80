package vectorlstm.importer.onnx;

import java.nio.file.Path;
import vectorlstm.importer.ImportException;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;

/**
 * Imports the ONNX graphs PyTorch's exporter writes for Embedding → LSTM/GRU (uni- or
 * bidirectional, stacked) → last state → Linear → Sigmoid/Softmax as an engine model with the
 * same weights (docs/import-onnx.md). What cannot be proven to compute what a Keras layer computes
 * is refused with an {@link ImportException} that names the node, initializer or attribute.
 *
 * <pre>{@code
 * try (SavedModel m = OnnxImporter.importOnnx(Path.of("model.onnx"))) {
 *     ModelFile.save(Path.of("model.vlstm"), m);
 * }
 * }</pre>
 */
public final class OnnxImporter {
    private OnnxImporter() {}

    /** A graph whose input has a fixed sequence length. The result has no tokenizer and no labels (ids "0", "1", ...). */
    public static SavedModel importOnnx(Path path) {
        return importOnnx(path, 0);
    }

    /**
     * {@code steps}: the fixed length the model will run at, required when the graph's sequence
     * axis is dynamic (the engine's Embedding has a fixed length; pad shorter inputs), and checked
     * against a fixed one otherwise (0: take the graph's).
     */
    public static SavedModel importOnnx(Path path, int steps) {
        if (steps < 0 || steps > ModelFile.MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException("steps must be 0 (the graph's) or 1.." + ModelFile.MAX_SEQUENCE_LENGTH + ", got " + steps);
        }
        OnnxFile.Parsed parsed = OnnxFile.read(path);
        ModelParts parts;
        try {
            parts = new GraphWalker(parsed.model().getGraph(), parsed.opset(), steps).walk();
        } catch (ImportException e) {
            throw new ImportException(path + ": " + e.getMessage(), e);
        }
        Sequential model = ModelAssembler.assemble(parts);
        return new SavedModel(model, null, TextPreprocessing.NONE, null, parts.steps);
    }
}
