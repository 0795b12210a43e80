package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;
import vectorlstm.importer.keras.KerasImporter;
import vectorlstm.importer.onnx.OnnxImporter;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Embedding;
import vectorlstm.text.Json;
import vectorlstm.text.KerasImdbWordIndex;

/**
 * {@code ./lstm import}: a model trained elsewhere (Keras .h5 / .keras, ONNX) → one vector-lstm model
 * file, printed as a Keras-style summary with what the import decided (a dropped front end, the
 * reading of hard_sigmoid). The file is written atomically; an existing file is replaced only if
 * it is a model file (or with --force), as train does.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import a model trained elsewhere: a Keras .h5 or .keras file, or an ONNX file from PyTorch; save it as one vector-lstm model file.",
                "The import reproduces the file's outputs or refuses, naming the layer and what is supported."})
final class ImportCommand implements Callable<Integer> {
    private final Streams io;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--keras", paramLabel = "FILE", description = "a Keras model file: legacy .h5 (Keras 2 or 3) or a Keras 3 .keras archive")
        Path keras;

        @Option(names = "--onnx", paramLabel = "FILE", description = "an ONNX file exported from PyTorch (Embedding, LSTM/GRU, Linear, Sigmoid/Softmax)")
        Path onnx;
    }

    @Option(names = "--steps", paramLabel = "N", defaultValue = "0",
            description = "--onnx with a dynamic time axis: import at this fixed length instead of any length (default: the graph's)")
    int steps;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "the model file to write")
    Path out;

    @Option(names = "--force", description = "replace --out even if it is not a model file")
    boolean force;

    @Option(names = "--word-index", paramLabel = "JSON", description = "a keras.datasets.imdb word index (imdb_word_index.json: word -> rank), "
            + "stored with the model so predict --text works; ids are encoded as imdb.load_data does (rank + 3, start 1, OOV 2)")
    Path wordIndex;

    @Option(names = "--labels", paramLabel = "NAME", split = ",", description = "the class names, comma-separated, in class-id order (default: 0, 1, ...); "
            + "e.g. neg,pos for keras.datasets.imdb's labels 0 and 1, so eval reads the IMDB folders' neg/pos")
    List<String> labels;

    @Spec CommandSpec spec;

    ImportCommand(Streams io) { this.io = io; }

    /**
     * --labels as typed: picocli drops an empty name at either end of the list ("neg,pos," was two
     * labels) and joins repeated flags, where every other flag given twice is refused.
     */
    private void checkLabelsAsTyped() {
        var option = spec.commandLine().getParseResult().matchedOption("--labels");
        if (option == null) return;
        List<String> typed = option.originalStringValues();
        if (typed.size() > 1) throw new IllegalArgumentException("--labels is given " + typed.size() + " times: give every name in one, comma-separated");
        for (String t : typed) {
            if (t.startsWith(",") || t.endsWith(",") || t.contains(",,")) throw new IllegalArgumentException("--labels: an empty name in '" + t + "'");
        }
    }

    @Override
    public Integer call() {
        checkLabelsAsTyped();
        OutputFiles.checkWritableTarget(out);
        if (!force && Files.exists(out) && !ModelFile.isModelFile(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a model file; choose another name, or add --force to replace it");
        }
        OutputFiles.checkNotAnInput(out, source.keras != null ? source.keras : source.onnx, wordIndex);
        if (wordIndex != null && !Files.isRegularFile(wordIndex)) {
            throw new IllegalArgumentException("--word-index " + wordIndex + (Files.exists(wordIndex) ? ": not a regular file" : ": no such file"));
        }
        if (steps != 0 && source.onnx == null) throw new IllegalArgumentException("--steps applies to --onnx only");
        Checks.range("--steps", steps, 0, ModelFile.MAX_SEQUENCE_LENGTH);
        try (Imported imported = source.keras != null ? KerasImporter.importKeras(source.keras) : OnnxImporter.importOnnx(source.onnx, steps)) {
            SavedModel saved = imported.saved();
            if (saved.model().loss() == null) {
                // The note speaks to Java users ("scores raw outputs through the Java API"); here only what the head is matters.
                String why = imported.notes().stream().filter(n -> n.contains("not a classifier's")).findFirst()
                        .map(n -> n.replaceFirst(": it scores raw outputs.*$", "")).orElse("the model is not a classifier");
                throw new ImportException((source.keras != null ? source.keras : source.onnx) + ": " + why
                        + "; ./lstm import saves classifiers only (the Java API's KerasImporter/OnnxImporter score such a model's raw outputs)");
            }
            // --word-index and --labels are checked before anything is printed: a wrong count came after the whole summary.
            Embedding embedding = null;
            if (wordIndex != null) {
                if (!(saved.model().layers().get(0) instanceof Embedding e)) {
                    throw new IllegalArgumentException("--word-index: the model does not start with an Embedding, it reads no token ids");
                }
                embedding = e;
                saved = saved.withVocabulary(KerasImdbWordIndex.load(wordIndex, embedding.inputDim()));
            }
            if (labels != null) {
                for (String label : labels) {
                    if (label.isBlank() || label.chars().anyMatch(Character::isISOControl)) {
                        throw new IllegalArgumentException("--labels: empty or unprintable name in " + labels);
                    }
                    // As the data readers refuse it: " neg" would never match the "neg" of a data set to evaluate.
                    if (!label.equals(label.strip())) {
                        throw new IllegalArgumentException("--labels: name " + Json.quote(label) + " has spaces around it; write the names without them");
                    }
                }
                saved = saved.withLabels(labels);
            }
            // Printed through the stream, whose failures are only checked after the save (io.out().line
            // below): stdout full or closed must not cost the imported model, as in train.
            PrintStream log = io.out().stream();
            log.println(saved.model().summary());
            for (String note : imported.notes()) {
                if (wordIndex != null && note.startsWith("no vocabulary")) continue;
                log.println("note: " + note);
            }
            if (embedding != null) {
                log.println("vocabulary: " + wordIndex + ", the " + embedding.inputDim() + " ids of keras.datasets.imdb.load_data(num_words="
                        + embedding.inputDim() + ")");
            }
            if (labels != null) log.println("labels: " + String.join(", ", saved.labels()) + " (class ids 0.." + (saved.labels().size() - 1) + ")");
            SavedModel toSave = saved;
            OutputFiles.saving(() -> ModelFile.save(out, toSave));
            io.out().line("saved " + out);
        }
        return Main.OK;
    }
}
