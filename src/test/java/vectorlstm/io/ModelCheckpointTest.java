package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;
import vectorlstm.model.TrainingState;
import vectorlstm.text.TextPreprocessing;

/** Keras' ModelCheckpoint: the best epoch's weights on disk, per-epoch names, the best judged from the handed history. */
class ModelCheckpointTest {
    @TempDir Path dir;

    private static final int[][] X = new int[96][8];
    private static final float[] Y = new float[96];
    static {
        Random r = new Random(3);
        for (int n = 0; n < X.length; n++) {
            for (int t = 0; t < 8; t++) X[n][t] = r.nextInt(15);
            Y[n] = r.nextBoolean() ? 1 : 0;
        }
    }

    private static Sequential model() {
        Sequential m = new Sequential(new Embedding(15, 4, 8), new Lstm(6), new Dense(1, "sigmoid")).seed(5).threads(2);
        // Random labels: the model learns the training rows by heart and its validation loss soon rises, so the best epoch is not the last.
        m.compile("binary_crossentropy", new Adam(0.05f), "accuracy");
        return m;
    }

    private static SavedModel saved(Sequential m) {
        return new SavedModel(m, null, TextPreprocessing.NONE, null, 8);
    }

    @Test
    void saveBestOnlyLeavesTheWeightsOfTheEpochWithTheLowestValidationLoss() {
        Path file = dir.resolve("best.vlstm");
        List<TrainingState> states = new ArrayList<>();
        History history;
        try (Sequential m = model()) {
            ModelCheckpoint best = new ModelCheckpoint(saved(m), file.toString(), "val_loss", true);
            history = m.fit(X, Y, new FitOptions().epochs(8).batchSize(16).validationSplit(0.25).verbose(false).checkpoint(best.andThen(states::add)));
        }
        int bestEpoch = 1;
        for (History.Epoch e : history.epochs()) if (e.valLoss() < history.epochs().get(bestEpoch - 1).valLoss()) bestEpoch = e.epoch();
        assertTrue(bestEpoch < 8, "the test needs a best epoch before the last one to tell the two apart: " + history.epochs());
        try (SavedModel read = ModelFile.load(file)) {
            List<float[]> weights = read.model().getWeights(), expected = states.get(bestEpoch - 1).weights();
            assertEquals(expected.size(), weights.size());
            for (int i = 0; i < weights.size(); i++) assertArrayEquals(expected.get(i), weights.get(i), "weight " + i + " of epoch " + bestEpoch);
            assertEquals(bestEpoch, read.history().epochs().size(), "the file's history ends at the epoch it was saved after");
        }
    }

    @Test
    void theEpochInTheFileNameGivesOneFilePerEpoch() {
        try (Sequential m = model()) {
            ModelCheckpoint every = new ModelCheckpoint(saved(m), dir.resolve("model-{epoch:02d}-of-{epoch}.vlstm").toString());
            m.fit(X, Y, new FitOptions().epochs(3).batchSize(16).verbose(false).checkpoint(every));
            assertEquals(dir.resolve("model-03-of-3.vlstm"), every.path(3));
            for (int e = 1; e <= 3; e++) assertTrue(ModelFile.isModelFile(every.path(e)), every.path(e).toString());
        }
        assertEquals(dir.resolve("model-123-of-123.vlstm").toString(), new ModelCheckpoint(saved(model()), dir.resolve("model-{epoch:02d}-of-{epoch}.vlstm").toString()).path(123).toString());
    }

    @Test
    void theBestIsJudgedOnTheWholeHandedHistorySoAResumedFitComparesWithEpochsBeforeIt() throws Exception {
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = model()) {
            m.fit(X, Y, new FitOptions().epochs(3).batchSize(16).validationSplit(0.25).verbose(false).checkpoint(states::add));
            TrainingState third = states.get(2);
            Path file = dir.resolve("resumed.vlstm");
            // A fresh instance, as after a restart: it must not save unless epoch 3 beats epochs 1 and 2.
            ModelCheckpoint fresh = new ModelCheckpoint(saved(m), file.toString(), "val_loss", true);
            fresh.accept(withEpochs(third, List.of(epoch(1, 0.1), epoch(2, 0.2), epoch(3, 0.15))));
            assertFalse(Files.exists(file), "epoch 3 (0.15) is worse than epoch 1 (0.1)");
            fresh.accept(withEpochs(third, List.of(epoch(1, 0.3), epoch(2, Double.NaN), epoch(3, 0.25))));
            assertTrue(Files.exists(file), "epoch 3 beats epoch 1; a NaN epoch is no best");
            Files.delete(file);
            fresh.accept(withEpochs(third, List.of(epoch(1, 0.3), epoch(2, 0.2), epoch(3, 0.2))));
            assertFalse(Files.exists(file), "a tie is no improvement (Keras compares strictly)");
            fresh.accept(withEpochs(third, List.of(epoch(1, 0.3), epoch(2, 0.2), epoch(3, Double.NaN))));
            assertFalse(Files.exists(file), "a NaN epoch is never saved as the best");
            ModelCheckpoint accuracy = new ModelCheckpoint(saved(m), file.toString(), "val_acc", true);
            accuracy.accept(withEpochs(third, List.of(epoch(1, 0.3), epoch(2, 0.2), epoch(3, 0.25))));
            assertFalse(Files.exists(file), "val_accuracy 0.75 after 0.8: no best");
            accuracy.accept(withEpochs(third, List.of(epoch(1, 0.3), epoch(2, 0.2), epoch(3, 0.1))));
            assertTrue(Files.exists(file), "val_accuracy 0.9 after 0.7 and 0.8: higher is better");
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirReason() {
        try (Sequential m = model()) {
            SavedModel s = saved(m);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(s, "m-{val_loss:.2f}.vlstm")).getMessage().contains("nothing else in braces"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(s, "m-{epoch:2d}.vlstm")).getMessage().contains("{epoch:02d}"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(s, "m.vlstm", "val_auc", true)).getMessage().startsWith("ModelCheckpoint monitors val_loss, val_accuracy, loss or accuracy (or val_acc, acc), not 'val_auc'"));
            assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(null, "m.vlstm"));
            assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(s, " "));
            // A validation quantity watched in a fit without validation data: said after the first epoch, nothing saved.
            Path file = dir.resolve("never.vlstm");
            ModelCheckpoint noValidation = new ModelCheckpoint(s, file.toString(), "val_loss", true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(X, Y, new FitOptions().epochs(2).batchSize(16).verbose(false).checkpoint(noValidation)));
            assertTrue(e.getMessage().contains("no validation data"), e.getMessage());
            assertFalse(Files.exists(file));
            // Without saveBestOnly the monitor plays no part, as in Keras: every epoch is saved.
            Path every = dir.resolve("every.vlstm");
            m.fit(X, Y, new FitOptions().epochs(1).batchSize(16).verbose(false).checkpoint(new ModelCheckpoint(s, every.toString())));
            assertTrue(ModelFile.isModelFile(every));
        }
    }

    /** An epoch whose val_loss is {@code valLoss} and val_accuracy 1 - valLoss. */
    private static History.Epoch epoch(int n, double valLoss) {
        return new History.Epoch(n, 0.5, 0.5, valLoss, 1 - valLoss, 1);
    }

    private static TrainingState withEpochs(TrainingState s, List<History.Epoch> epochs) {
        return new TrainingState(epochs.size(), s.stopped(), s.dataFingerprint(), s.frozenFingerprint(), s.batchSize(), s.threads(), History.of(epochs, -1),
                s.sequence(), s.optimizer(), s.weightNames(), s.weights(), s.earlyStopping(), s.plateau());
    }
}
