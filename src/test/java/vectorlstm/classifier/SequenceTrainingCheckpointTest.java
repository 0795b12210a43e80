package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/** Numeric-sequence training's log (epoch lines as the epochs end) and its checkpoint: a resumed run says so and shows the interrupted run's epochs first. */
class SequenceTrainingCheckpointTest {
    @TempDir Path dir;

    private static NumericSequences data() {
        Random r = new Random(2);
        float[][][] x = new float[30][][];
        int[] labels = new int[30];
        for (int n = 0; n < x.length; n++) {
            x[n] = new float[3 + r.nextInt(5)][2];
            for (float[] step : x[n]) for (int f = 0; f < 2; f++) step[f] = (float) r.nextGaussian();
            labels[n] = x[n][0][0] > 0 ? 1 : 0;
        }
        return new NumericSequences(x, labels, List.of("a", "b"), 2);
    }

    @Test
    void aResumedRunSaysSoAndEndsAsTheUninterruptedOne() {
        NumericSequences data = data();
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
        int note = out.indexOf("Resumed after"), one = out.indexOf("epoch   1: loss"), two = out.indexOf("epoch   2: loss");
        assertTrue(note >= 0 && note < one && one < two && out.indexOf("epoch   2: loss", two + 1) < 0, "the note, then the interrupted run's epochs 1 and 2 once: " + out);
    }

    /** A checkpoint of other data is refused before the log says anything of resuming (it said "Resumed after epoch 2" above the refusal). */
    @Test
    void aRefusedResumeSaysNothingOfResuming() {
        SequenceTraining recipe = new SequenceTraining(LayerSpec.parse("lstm:4"), 2, 8, 0.01f, 1f, 3, 2);
        Path file = dir.resolve("seq.ckpt");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        recipe.train(data(), quiet, Checkpointing.open(file, recipe.settings(), 2, quiet)).close();
        NumericSequences data = data();
        NumericSequences other = new NumericSequences(java.util.Arrays.copyOf(data.x(), 20), java.util.Arrays.copyOf(data.labels(), 20), data.labelNames(), 2);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> recipe.train(other, new PrintStream(log, true, StandardCharsets.UTF_8), Checkpointing.open(file, recipe.settings(), 2, quiet)).close());
        assertTrue(e.getMessage().contains("cannot be resumed here"), e.getMessage());
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("Resumed"), log.toString(StandardCharsets.UTF_8));
    }

    /**
     * An epoch's line is written when the epoch ends, not once the training is over (100 epochs
     * take minutes, and the log stayed silent through them): a log that fails on the line of epoch
     * 1 ends the training there, with the checkpoint written after epoch 1 of 3.
     */
    @Test
    void eachEpochLineIsWrittenAsTheEpochEnds() throws Exception {
        NumericSequences data = data();
        SequenceTraining recipe = new SequenceTraining(LayerSpec.parse("lstm:4"), 3, 8, 0.01f, 1f, 3, 1);
        Path file = dir.resolve("seq.ckpt");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        class Stop extends RuntimeException {}
        PrintStream failsAtEpochOne = new PrintStream(new ByteArrayOutputStream() {
            @Override public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);  // printf writes a line in pieces: look at all written so far
                if (toString(StandardCharsets.UTF_8).contains("epoch   1: loss")) throw new Stop();
            }
        }, true, StandardCharsets.UTF_8);
        assertThrows(Stop.class, () -> recipe.train(data, failsAtEpochOne, Checkpointing.open(file, recipe.settings(), 1, quiet)).close());
        assertEquals(1, vectorlstm.io.CheckpointFile.load(file).state().epochsDone(), "the line of epoch 1 was written right after epoch 1");
    }
}
