package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import vectorlstm.classifier.Checkpointing;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.DelimitedDataset;
import vectorlstm.data.FolderDataset;
import vectorlstm.data.JsonLinesDataset;
import vectorlstm.data.NumericColumns;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.vowels.JapaneseVowels;
import vectorlstm.importer.keras.KerasImporter;
import vectorlstm.importer.onnx.OnnxImporter;
import vectorlstm.io.CheckpointFile;
import vectorlstm.io.ModelFile;
import vectorlstm.text.KerasImdbWordIndex;
import vectorlstm.text.vectors.MissingWords;
import vectorlstm.text.vectors.PretrainedVectors;
import vectorlstm.text.vectors.VectorFormat;

/** A null file or folder given to a public loader or saver is named in an IllegalArgumentException (it was a bare NullPointerException). */
class NullPathsTest {
    private static void assertNamed(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void aNullPathIsNamedByEveryLoaderAndSaver() {
        Path file = Path.of("x");
        assertNamed("no model file given (null)", () -> ModelFile.load(null));
        assertNamed("no model file given (null)", () -> ModelFile.save(null, null));
        assertNamed("no model given (null)", () -> ModelFile.save(file, null));
        assertNamed("no model file given (null)", () -> TextClassifier.load(null));
        assertNamed("no checkpoint file given (null)", () -> CheckpointFile.load(null));
        assertNamed("no checkpoint file given (null)", () -> CheckpointFile.save(null, null, Map.of()));
        assertNamed("no training state given (null)", () -> CheckpointFile.save(file, null, Map.of()));
        assertNamed("no Keras file given (null)", () -> KerasImporter.importKeras(null));
        assertNamed("no ONNX file given (null)", () -> OnnxImporter.importOnnx(null));
        assertNamed("no ONNX file given (null)", () -> OnnxImporter.importOnnx(null, 5));
        assertNamed("no word index file given (null)", () -> KerasImdbWordIndex.load(null, 100));
        assertNamed("no IMDB archive or folder given (null)", () -> ImdbDataset.load(null));
        assertNamed("no Japanese Vowels folder given (null)", () -> JapaneseVowels.load(null));
        assertNamed("no data file given (null)", () -> JsonLinesDataset.load(null, "text", "label"));
        assertNamed("no data folder given (null)", () -> FolderDataset.load(null));
        assertNamed("no data file given (null)", () -> DelimitedDataset.load(null, "text", "label"));
        assertNamed("no data file given (null)", () -> DelimitedDataset.load(null, "text", "label", ','));
        assertNamed("no text column named (null)", () -> DelimitedDataset.load(Path.of("x.csv"), null, "label"));  // was a bare NullPointerException
        assertNamed("no label column named (null)", () -> DelimitedDataset.load(file, "text", null, ','));
        assertNamed("no text field named (null)", () -> JsonLinesDataset.load(file, null, "label"));
        assertNamed("no checkpoint file given (null)", () -> Checkpointing.open(null, Map.of(), 1, System.err));
        assertNamed("no table file given (null)", () -> NumericColumns.read(null, "x", "y"));
        assertNamed("no vector file given (null)", () -> PretrainedVectors.load(null, Map.of("a", 1), 10, MissingWords.ZEROS, 1));
        assertNamed("no vector file given (null)", () -> PretrainedVectors.load(null, VectorFormat.FASTTEXT_VEC, Map.of("a", 1), 10, MissingWords.ZEROS, 1));
    }
}
