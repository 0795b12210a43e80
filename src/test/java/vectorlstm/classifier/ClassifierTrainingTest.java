package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vectorlstm.data.LabelMap;
import vectorlstm.data.TextDataset;

/** The Java API's misuse: what {@code ./lstm train} refuses, the recipe and the training refuse too. */
class ClassifierTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static TrainingRecipe recipe(int numWords, int embeddingDim, int epochs, int batch, int patience, int threads, float lrScale,
                                         double validationSplit, String monitor) {
        return new TrainingRecipe(numWords, 20, LayerSpec.parse("lstm:4"), false, embeddingDim, null, true, null, lrScale, epochs, batch,
                validationSplit, OptimizerSpec.adam(0.001f, 1f), false, patience, monitor, 1, threads, false, null);
    }

    private static TrainingRecipe small(double validationSplit) {
        return recipe(100, 8, 1, 8, 0, 1, 1f, validationSplit, "val_accuracy");
    }

    private static String refused(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    /** A label map may name labels no text carries (IMDB's is always neg, pos): a split of 0 used to train on one class. */
    @Test
    void textsOfOneLabelAreRefusedWithoutAValidationSplitToo() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) texts.add("a fine film number " + i);
        TextDataset onlyNeg = new TextDataset(texts, new int[30], LabelMap.fromLabels(List.of("neg", "pos")));
        for (double split : new double[] {0, 0.2}) {
            assertEquals("all 30 training texts carry one label, \"neg\": a classifier needs texts of at least two labels",
                    refused(() -> ClassifierTraining.train(onlyNeg, small(split), QUIET)), "validation split " + split);
        }
        TextDataset none = new TextDataset(List.of(), new int[0], LabelMap.fromLabels(List.of("neg", "pos")));
        assertEquals("the training data holds no text", refused(() -> ClassifierTraining.train(none, small(0), QUIET)));
    }

    /** The recipe says it refuses what ./lstm train refuses; a batch of 2^31 - 1 used to overflow into "steps per epoch ... got 0". */
    /**
     * Labels no training text carries, and about as many labels as texts (columns swapped), are
     * said in the log; a long label list is cut. They trained in silence: a class never seen, or
     * 200 rows as 200 classes at accuracy 0.
     */
    @Test
    void labelsTheModelCannotLearnAreSaid() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) texts.add("a fine film number " + i);
        int[] twoOfThree = new int[30];
        for (int i = 0; i < 30; i++) twoOfThree[i] = i % 2;
        String log = logOf(new TextDataset(texts, twoOfThree, LabelMap.fromLabels(List.of("a", "b", "rare"))));
        assertTrue(log.contains("data: 30 training and 0 validation texts, labels [a, b, rare]"), log);
        assertTrue(log.contains("warning: 1 label has no training text: [rare]; the model cannot learn it"), log);
        assertFalse(log.contains("the right way round"), log);
        List<String> names = new ArrayList<>();
        int[] each = new int[30];
        for (int i = 0; i < 30; i++) {
            names.add(String.format("label%02d", i));
            each[i] = i;
        }
        log = logOf(new TextDataset(texts, each, LabelMap.fromLabels(names)));
        assertTrue(log.contains("30 labels [label00, label01,"), log);
        assertTrue(log.contains("label19, ...]"), log);
        assertFalse(log.contains("label20"), log);
        assertTrue(log.contains("warning: 30 labels for 30 training texts: most labels have one text or none (are --text-column and --label-column the right way round?)"), log);
    }

    private static String logOf(TextDataset data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ClassifierTraining.train(data, small(0), new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)).classifier().close();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theRecipeRefusesWhatTheCommandLineRefuses() {
        assertTrue(refused(() -> recipe(TrainingRecipe.MAX_NUM_WORDS + 1, 8, 1, 8, 0, 1, 1f, 0, "val_accuracy")).startsWith("num-words must be between 2"));
        assertTrue(refused(() -> recipe(Integer.MAX_VALUE, 8, 1, 8, 0, 1, 1f, 0, "val_accuracy")).startsWith("num-words must be between 2"));
        for (int[] bad : new int[][] {{TrainingRecipe.MAX_EMBEDDING_DIM + 1, 1, 8, 0, 1}, {8, TrainingRecipe.MAX_EPOCHS + 1, 8, 0, 1},
                {8, 1, Integer.MAX_VALUE, 0, 1}, {8, 1, TrainingRecipe.MAX_BATCH + 1, 0, 1}, {8, 1, 8, TrainingRecipe.MAX_PATIENCE + 1, 1},
                {8, 1, 8, 0, TrainingRecipe.MAX_THREADS + 1}, {0, 1, 8, 0, 1}, {8, 1, 8, -1, 1}}) {
            String message = refused(() -> recipe(100, bad[0], bad[1], bad[2], bad[3], bad[4], 1f, 0, "val_accuracy"));
            assertTrue(message.startsWith("embeddingDim (1-4096), epochs (1-100000), batch (1-65536), threads (1-1024) and patience (0-1000) must be in range"), message);
        }
        assertTrue(refused(() -> recipe(100, 8, 1, 8, 0, 1, 1e30f, 0, "val_accuracy")).startsWith("the embeddings' learning-rate scale must be above 0 and at most 1000"));
        assertTrue(refused(() -> recipe(100, 8, 1, 8, 0, 1, Float.NaN, 0, "val_accuracy")).startsWith("the embeddings' learning-rate scale"));
        assertEquals("monitor must be val_accuracy or val_loss, got null", refused(() -> recipe(100, 8, 1, 8, 0, 1, 1f, 0, null)));
        // Was accepted and ignored, where train refuses the same as flags that would do nothing.
        assertTrue(refused(() -> recipe(100, 8, 1, 8, 0, 1, 0.1f, 0, "val_accuracy")).startsWith("the embeddings' learning-rate scale applies to pre-trained vectors that train: not without vectors"));
        assertTrue(refused(() -> new TrainingRecipe(100, 20, LayerSpec.parse("lstm:4"), false, 8, null, true, vectorlstm.text.vectors.MissingWords.ZEROS, 1f, 1, 8,
                0, OptimizerSpec.adam(0.001f, 1f), false, 0, "val_accuracy", 1, 1, false, null)).startsWith("a missing-words policy applies to pre-trained vectors"));
        assertTrue(refused(() -> new TrainingRecipe(100, 20, LayerSpec.parse("lstm:4"), false, 8, java.nio.file.Path.of("v.vec"), false, vectorlstm.text.vectors.MissingWords.ZEROS, 0.1f, 1, 8,
                0, OptimizerSpec.adam(0.001f, 1f), false, 0, "val_accuracy", 1, 1, false, null)).contains("not to a frozen table"));
        // The largest values the command line takes are still a recipe.
        recipe(TrainingRecipe.MAX_NUM_WORDS, TrainingRecipe.MAX_EMBEDDING_DIM, TrainingRecipe.MAX_EPOCHS, TrainingRecipe.MAX_BATCH,
                TrainingRecipe.MAX_PATIENCE, TrainingRecipe.MAX_THREADS, 1f, 0, "val_loss");
        new TrainingRecipe(100, 20, LayerSpec.parse("lstm:4"), false, 8, java.nio.file.Path.of("v.vec"), true, vectorlstm.text.vectors.MissingWords.ZEROS,
                TrainingRecipe.MAX_LR_SCALE, 1, 8, 0, OptimizerSpec.adam(0.001f, 1f), false, 0, "val_accuracy", 1, 1, false, null);
    }

    /** The numeric-sequence recipe takes the same bounds; null layers or data are refused by name, not by a NullPointerException. */
    @Test
    void theSequenceRecipeRefusesTheSameBounds() {
        LayerSpec bilstm = LayerSpec.parse("bilstm:4");
        for (int[] bad : new int[][] {{TrainingRecipe.MAX_EPOCHS + 1, 8, 1}, {1, TrainingRecipe.MAX_BATCH + 1, 1}, {1, Integer.MAX_VALUE, 1},
                {1, 8, TrainingRecipe.MAX_THREADS + 1}, {0, 8, 1}, {1, 0, 1}, {1, 8, 0}}) {
            String message = refused(() -> new SequenceTraining(bilstm, bad[0], bad[1], 0.001f, 1f, 1, bad[2]));
            assertTrue(message.startsWith("epochs (1-100000), batch (1-65536) and threads (1-1024) must be in range"), message);
        }
        assertTrue(refused(() -> new SequenceTraining(null, 1, 8, 0.001f, 1f, 1, 1)).startsWith("layers must be given"));
        SequenceTraining ok = new SequenceTraining(bilstm, TrainingRecipe.MAX_EPOCHS, TrainingRecipe.MAX_BATCH, 0.001f, 1f, 1, TrainingRecipe.MAX_THREADS);
        assertTrue(refused(() -> ok.train(null, QUIET)).startsWith("train needs the sequences"));
    }
}
