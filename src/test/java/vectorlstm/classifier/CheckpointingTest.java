package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.io.CheckpointFile;
import vectorlstm.model.History;
import vectorlstm.model.TrainingState;

/** Which files {@code --checkpoint} refuses, and what it tells the user to do about each. */
class CheckpointingTest {
    @TempDir Path dir;

    private static final Map<String, String> SETTINGS = Map.of("epochs", "3");
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private byte[] checkpoint() throws IOException {
        TrainingState s = new TrainingState(1, false, 7, 9, 4, 1, History.of(List.of(new History.Epoch(1, 0.5, 0.5, Double.NaN, Double.NaN, 1)), -1),
                new TrainingState.Sequence(1, 1, null), new TrainingState.OptimizerState("sgd", 2, 0.1f, Map.of()),
                List.of("dense/kernel"), List.of(new float[] {1, 2, 3}), null, null);
        Path file = dir.resolve("whole.ckpt");
        CheckpointFile.save(file, s, SETTINGS);
        return Files.readAllBytes(file);
    }

    private String refusal(String name, byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve(name), bytes);
        String message = assertThrows(IllegalArgumentException.class, () -> Checkpointing.open(file, SETTINGS, 1, QUIET)).getMessage();
        assertTrue(message.contains(file.toString()), "names the file: " + message);
        assertTrue(Arrays.equals(bytes, Files.readAllBytes(file)), "left as it was");
        return message;
    }

    /** A checkpoint damaged in its header was called "not a vector-lstm checkpoint ... choose another name". */
    @Test
    void aDamagedCheckpointIsCalledDamagedNotAnotherKindOfFile() throws IOException {
        byte[] whole = checkpoint();
        byte[] hugeHeader = whole.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        byte[] brokenJson = whole.clone();
        int brace = new String(whole, StandardCharsets.ISO_8859_1).indexOf("\"vlstm.context\"");
        brokenJson[brace] = '{';
        for (byte[] damaged : List.of(Arrays.copyOf(whole, 200), Arrays.copyOf(whole, 100), hugeHeader, brokenJson)) {
            String message = refusal("damaged.ckpt", damaged);
            assertTrue(message.endsWith("remove it to train from the start"), message);
            assertFalse(message.contains("choose another name"), message);
        }
    }

    @Test
    void aFileThatIsNoCheckpointIsLeftAloneUnderAnotherName() throws IOException {
        byte[] whole = checkpoint();
        byte[] otherFormat = new String(whole, StandardCharsets.ISO_8859_1).replace("vector-lstm-checkpoint", "vector-lstm-checkpoinX").getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] other : List.of(new byte[0], "text,label\nfine,1\n".getBytes(StandardCharsets.UTF_8), otherFormat)) {
            String message = refusal("other.ckpt", other);
            assertTrue(message.endsWith("exists and is not a vector-lstm checkpoint: it is not replaced; choose another name"), message);
        }
    }

    /** A checkpoint is keyed on what the settings mean: "--momentum -0" and "--lr-schedule Cosine" refused a resume of "0" and "cosine". */
    @Test
    void theSettingsKeyIsTheValuesNotHowTheyWereTyped() {
        TrainingRecipe typed = recipe(new OptimizerSpec("sgd", 0.01f, -0f, false, -0f, 1f, Float.NaN, "Cosine"), -0.0);
        TrainingRecipe plain = recipe(new OptimizerSpec("sgd", 0.01f, 0f, false, 0f, 1f, Float.NaN, "cosine"), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(plain.settings(), typed.settings());
    }

    private static TrainingRecipe recipe(OptimizerSpec optimizer, double validationSplit) {
        return new TrainingRecipe(100, 20, LayerSpec.parse("lstm:8"), false, 8, null, true, null, 1f,
                1, 8, validationSplit, optimizer, false, 2, "val_loss", 7, 1, false, null);
    }
}
