package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./lstm train's --optimizer, --momentum, --nesterov, --weight-decay, --clipvalue and --lr-schedule. */
class TrainOptimizerFlagsTest {
    @TempDir Path dir;
    private Path data;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Reviews whose label is which of two word families they use. */
    @BeforeEach
    void writeData() throws IOException {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder("review,sentiment\n");
        String[] good = {"great", "superb", "loved"}, bad = {"awful", "dull", "hated"}, filler = {"the", "film", "plot", "was", "it"};
        for (int i = 0; i < 120; i++) {
            boolean pos = r.nextBoolean();
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 6; k++) words.add(filler[r.nextInt(filler.length)]);
            words.add(r.nextInt(words.size()), (pos ? good : bad)[r.nextInt(3)]);
            s.append(String.join(" ", words)).append(',').append(pos ? "pos" : "neg").append('\n');
        }
        data = dir.resolve("reviews.csv");
        Files.writeString(data, s);
    }

    private Result train(String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--epochs", "3", "--batch", "16", "--units", "8", "--embedding-dim", "8", "--maxlen", "10", "--num-words", "50", "--threads", "1",
                "--save", dir.resolve("m.vlstm").toString()));
        args.addAll(Arrays.asList(flags));
        return run(args.toArray(String[]::new));
    }

    private void assertRefused(String fragment, String... flags) {
        Result r = train(flags);
        assertEquals(2, r.code(), String.join(" ", flags) + ": " + r.err());
        assertTrue(r.err().contains(fragment), "'" + r.err().strip() + "' should say '" + fragment + "'");
        assertEquals(1, r.err().strip().lines().filter(l -> !l.startsWith("Try") && !l.isBlank()).count(), "one line: " + r.err());
        assertTrue(!Files.exists(dir.resolve("m.vlstm")), "refused before training");
    }

    @Test
    void badOptimizerFlagsNameTheFlag() {
        assertRefused("--optimizer must be adam, sgd, rmsprop or adamw, got 'adagrad'", "--optimizer", "adagrad");
        assertRefused("--momentum must be at least 0 and below 1, got 1.0", "--optimizer", "sgd", "--momentum", "1");
        assertRefused("--momentum must be at least 0 and below 1, got NaN", "--optimizer", "sgd", "--momentum", "NaN");
        assertRefused("--momentum applies to sgd and rmsprop, not adam", "--momentum", "0.9");
        assertRefused("--nesterov needs --optimizer sgd and a --momentum above 0", "--optimizer", "sgd", "--nesterov");
        assertRefused("--weight-decay must be at least 0 and below 1, got -0.1", "--optimizer", "adamw", "--weight-decay", "-0.1");
        assertRefused("--weight-decay applies to adamw only", "--weight-decay", "0.01");
        // Given as 0, these were ignored although the docs call a flag that does not apply an error.
        assertRefused("--momentum applies to sgd and rmsprop, not adam", "--momentum", "0");
        assertRefused("--weight-decay applies to adamw only (Keras' AdamW), not adam", "--weight-decay", "0");
        assertRefused("--clipvalue must be between 0.0 and 1.0E9 (exclusive), got -2.0", "--clipvalue", "-2");
        assertRefused("--clipnorm and --clipvalue: only one can be set", "--clipnorm", "1", "--clipvalue", "0.5");
        assertRefused("--learning-rate must be above 0 and at most a float's largest value (3.4E38), got -0.01", "--optimizer", "sgd", "--learning-rate", "-0.01");
        assertRefused("--learning-rate must be above 0 and at most a float's largest value (3.4E38), got 1.0E300", "--optimizer", "sgd", "--learning-rate", "1e300");
        // The hint names the spec's recurrent layer (it said "e.g. dropout:32", or lstm for a gru).
        assertRefused("--units and --layers both set the layers: give the units in --layers (e.g. gru:8)", "--layers", "dropout:0.2,gru:64");
        assertRefused("--lr-schedule must be constant, step:EPOCHS:FACTOR, cosine or plateau:PATIENCE:FACTOR; FACTOR must be between 0 and 1 (exclusive), got 'step:2:3'",
                "--lr-schedule", "step:2:3");
        assertRefused("got 'warmup'", "--lr-schedule", "warmup");
        assertRefused("--learning-rate 1.0E-50 is below the smallest float", "--learning-rate", "1e-50");  // was "got 0.0"
        assertRefused("got 'plateau:x:0.5'", "--lr-schedule", "plateau:x:0.5");
        // A step schedule whose first step comes after the last epoch trained at a constant rate, without a word.
        assertRefused("--lr-schedule step:3:0.5 steps the rate after every 3 epochs, and the run has 3 epochs: the rate would never change", "--lr-schedule", "step:3:0.5");
        Result notANumber = train("--momentum", "lots");
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("--momentum"), notANumber.err());
    }

    @Test
    void theJavaApisTrainDefaultIsWhatTrainUsesWithoutFlags() {
        // Was: the recipe's Javadoc and its null-optimizer message called OptimizerSpec.adam (a constant rate) the default,
        // where train decays the rate by a cosine.
        TrainCommand command = new TrainCommand(null);  // parsed only: no stream is used
        new picocli.CommandLine(command).parseArgs("--data", "d.csv", "--save", "m.vlstm");
        assertEquals(vectorlstm.classifier.OptimizerSpec.trainDefault(), command.optimizerSpec());
    }

    /** Keras' default validation_split=0: every text trains; what needs held-out texts says so. */
    @Test
    void validationSplitZeroTrainsOnEverything() {
        Result r = train("--validation-split", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("data: 120 training and 0 validation texts"), r.out());
        assertTrue(r.out().contains("; no validation split"), r.out());
        assertTrue(Files.exists(dir.resolve("m.vlstm")));
    }

    @Test
    void withoutValidationEarlyStoppingAndPlateauAreRefused() {
        assertRefused("early stopping chooses an epoch on held-out texts: it needs a validation split above 0", "--validation-split", "0", "--early-stopping", "true");
        assertRefused("--validation-split must be in [0, 1), got 1.0", "--validation-split", "1");
        assertRefused("--validation-split must be in [0, 1), got -0.1", "--validation-split", "-0.1");
        // Refused with the other flag checks, before the data is read (it came after tokenizing, in the API's words).
        assertRefused("--lr-schedule plateau watches held-out texts: it needs a --validation-split above 0", "--validation-split", "0", "--lr-schedule", "plateau:1:0.5");
        Result plateau = train("--validation-split", "0", "--lr-schedule", "plateau:1:0.5");
        assertTrue(!plateau.out().contains("data:"), "no data read: " + plateau.out());
    }

    /** A flag that would do nothing in this run is refused, not silently ignored. */
    @Test
    void flagsThatWouldDoNothingAreRefused() throws java.io.IOException {
        assertRefused("--patience is early stopping's: add --early-stopping true", "--patience", "5");
        assertRefused("--monitor is what --early-stopping true or --lr-schedule plateau watches", "--monitor", "val_loss");
        Result empty = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment", "--save", "");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("--save needs a file name, got an empty one"), "was '--save  is a folder': " + empty.err());
        Result upper = train("--monitor", "VAL_LOSS", "--early-stopping", "true");
        assertEquals(0, upper.code(), "--monitor in capitals, as the other choices: " + upper.err());
        Files.delete(dir.resolve("m.vlstm"));
        java.nio.file.Path vec = Files.writeString(dir.resolve("v.vec"), "2 8\ngood 1 0 0 0 0 0 0 0\nbad 0 1 0 0 0 0 0 0\n");
        Result frozen = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment", "--epochs", "1", "--units", "4",
                "--embeddings", vec.toString(), "--embeddings-trainable", "false", "--embeddings-learning-rate-scale", "5", "--save", dir.resolve("m.vlstm").toString());
        assertEquals(2, frozen.code(), frozen.err());
        assertTrue(frozen.err().contains("--embeddings-learning-rate-scale applies to embeddings that train"), frozen.err());
        Result tooHigh = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment", "--epochs", "1", "--units", "4",
                "--embeddings", vec.toString(), "--embeddings-learning-rate-scale", "1001", "--save", dir.resolve("m.vlstm").toString());
        assertEquals(2, tooHigh.code(), tooHigh.err());
        assertTrue(tooHigh.err().contains("--embeddings-learning-rate-scale must be above 0 and at most 1000, got 1001.0"), "the limit as written: " + tooHigh.err());
        assertTrue(!Files.exists(dir.resolve("m.vlstm")));
    }

    @Test
    void sgdWithNesterovClipvalueAndStepDecayTrains() {
        Result r = train("--optimizer", "sgd", "--momentum", "0.9", "--nesterov", "--clipvalue", "0.5", "--learning-rate", "0.05", "--lr-schedule", "step:1:0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("m.vlstm")));
    }

    @Test
    void plateauLogsItsReductions() {
        // patience 0: every epoch that does not improve val_loss by 1e-4 lowers the rate
        Result r = train("--optimizer", "adamw", "--lr-schedule", "plateau:0:0.5", "--monitor", "val_loss",
                "--learning-rate", "0.9");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ReduceLROnPlateau reducing learning rate to 0.45"), r.out());
    }
}
