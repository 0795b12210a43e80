package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.NumericSequences;

/** Numeric-sequence training through a checkpoint: its log lists epochs only at the end, so it says there that it resumed. */
class SequenceTrainingCheckpointTest {
    @TempDir Path dir;

    @Test
    void aResumedRunSaysSoAndEndsAsTheUninterruptedOne() {
        Random r = new Random(2);
        float[][][] x = new float[30][][];
        int[] labels = new int[30];
        for (int n = 0; n < x.length; n++) {
            x[n] = new float[3 + r.nextInt(5)][2];
            for (float[] step : x[n]) for (int f = 0; f < 2; f++) step[f] = (float) r.nextGaussian();
            labels[n] = x[n][0][0] > 0 ? 1 : 0;
        }
        NumericSequences data = new NumericSequences(x, labels, List.of("a", "b"), 2);
        SequenceTraining recipe = new SequenceTraining(LayerSpec.parse("lstm:4"), 2, 8, 0.01f, 1f, 3, 2);
        Path file = dir.resolve("seq.ckpt");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        float[] first;
        // The checkpoint stays after this run (only ./lstm train removes it once the model is saved): the state after epoch 2 of 2.
        try (SequenceTraining.Trained t = recipe.train(data, quiet, Checkpointing.open(file, recipe.settings(), 2, quiet))) {
            first = t.model().getWeights().get(0);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SequenceTraining.Trained t = recipe.train(data, new PrintStream(log, true, StandardCharsets.UTF_8), Checkpointing.open(file, recipe.settings(), 2, quiet))) {
            assertArrayEquals(first, t.model().getWeights().get(0), "every epoch was done: the same weights");
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Resumed after epoch 2 of 2 from --checkpoint " + file + "; epochs 1-2 below are the interrupted run's"), out);
    }
}
