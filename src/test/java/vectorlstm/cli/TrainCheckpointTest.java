package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.io.CheckpointFile;

/**
 * {@code ./lstm train --checkpoint}: a run killed between epochs, started again with the same
 * command, saves the model file the uninterrupted run saves, byte for byte; a checkpoint of
 * another training, a damaged one, or a file that is none is refused and left as it was.
 */
class TrainCheckpointTest {
    private static final int EPOCHS = 15;

    @TempDir Path dir;
    private Path data;

    private record Result(int code, String out, String err) {}

    private static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void writeData() throws IOException {
        data = dir.resolve("reviews.csv");
        Files.writeString(data, reviews(600));
    }

    /** Reviews whose label is which of two word families they use. */
    private static String reviews(int n) {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder("review,sentiment\n");
        String[] good = {"great", "superb", "loved"}, bad = {"awful", "dull", "hated"}, filler = {"the", "film", "plot", "was", "it", "and", "a"};
        for (int i = 0; i < n; i++) {
            boolean pos = r.nextBoolean();
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 14; k++) words.add(filler[r.nextInt(filler.length)]);
            words.add(r.nextInt(words.size()), (pos ? good : bad)[r.nextInt(3)]);
            s.append(String.join(" ", words)).append(',').append(pos ? "pos" : "neg").append('\n');
        }
        return s.toString();
    }

    /** The training command; early stopping and dropout on, so their state has to carry over too. */
    private List<String> train(Path save, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--epochs", Integer.toString(EPOCHS), "--batch", "16", "--layers", "lstm:24:dropout=0.2", "--embedding-dim", "8", "--maxlen", "16",
                "--num-words", "50", "--threads", "2", "--early-stopping", "true", "--patience", "100", "--save", save.toString()));
        args.addAll(Arrays.asList(more));
        return args;
    }

    /** The command run in a JVM of its own, killed (SIGKILL) once its first checkpoint is on disk. */
    private void killedAfterFirstCheckpoint(List<String> args, Path checkpoint) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        // The engine's settings of this JVM (a forced vector width, the kernels) go along: other kernels give other bits.
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("vectorlstm.")).sorted()
                .forEach(k -> command.add(command.indexOf("-cp"), "-D" + k + "=" + System.getProperty(k)));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
            assertTrue(Files.exists(checkpoint), "no checkpoint appeared:\n" + Files.readString(dir.resolve("killed.log")));
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledTrainingStartedAgainSavesTheUninterruptedModel() throws Exception {
        Path whole = dir.resolve("whole.vlstm");
        Result uninterrupted = run(train(whole));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());

        Path resumed = dir.resolve("resumed.vlstm"), checkpoint = dir.resolve("run.ckpt");
        List<String> command = train(resumed, "--checkpoint", checkpoint.toString());
        killedAfterFirstCheckpoint(command, checkpoint);
        assertFalse(Files.exists(resumed), "killed before the end: " + Files.readString(dir.resolve("killed.log")));
        int epochsDone = CheckpointFile.load(checkpoint).state().epochsDone();
        assertTrue(epochsDone < EPOCHS, "the kill came after epoch " + epochsDone);
        Path kept = dir.resolve("copy.ckpt");
        Files.copy(checkpoint, kept);

        Result again = run(command);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("Resuming after epoch " + epochsDone + " of " + EPOCHS + "\n"), again.out());
        assertTrue(again.out().contains("removed checkpoint " + checkpoint), again.out());
        assertFalse(again.out().contains("Epoch 1/" + EPOCHS + "\n"), "went on from the checkpoint, not from the start: " + again.out());
        assertTrue(again.out().contains("Epoch " + (epochsDone + 1) + "/" + EPOCHS + "\n"), again.out());
        assertFalse(Files.exists(checkpoint), "removed once the model is saved");
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed), "the resumed run saves the uninterrupted run's file, byte for byte");

        // The same checkpoint under other settings or data is another training's: refused, and kept as it was.
        byte[] before = Files.readAllBytes(kept);
        Path other = dir.resolve("other.vlstm");
        List<String> moreEpochs = train(other, "--checkpoint", kept.toString());
        moreEpochs.set(moreEpochs.indexOf("--epochs") + 1, Integer.toString(EPOCHS + 1));
        assertRefused(run(moreEpochs), "holds another training's state (epochs " + EPOCHS + " there, " + (EPOCHS + 1) + " now)");
        assertRefused(run(train(other, "--checkpoint", kept.toString(), "--seed", "8")), "seed 7 there, 8 now");
        // Each optimizer flag by its name (it was one Java record printed twice).
        assertRefused(run(train(other, "--checkpoint", kept.toString(), "--learning-rate", "0.002")), "(learning-rate 0.001 there, 0.002 now)");
        String texts = Files.readString(data);
        Files.writeString(data, texts.replaceFirst(",pos\n", ",neg\n"));  // one label other: the same texts and vocabulary
        assertRefused(run(train(other, "--checkpoint", kept.toString())),
                "--checkpoint " + kept + " cannot be resumed here: it was trained on other data (or another validation split, or other class or sample weights); remove it to train from the start");
        // A word renamed everywhere: the same ids and labels, but other texts.
        Files.writeString(data, texts.replace("superb", "splendid"));
        assertRefused(run(train(other, "--checkpoint", kept.toString())), "--checkpoint " + kept + " cannot be resumed here: its training's texts made another vocabulary");
        assertArrayEquals(before, Files.readAllBytes(kept), "a refused resume leaves the checkpoint as it was");
        assertFalse(Files.exists(other));
    }

    @Test
    void aCheckpointReachedThroughALinkIsRemovedAndTheLinkKept() throws IOException {
        // Before, the removal deleted the user's link and left the checkpoint it led to (about 3x the model with Adam).
        Path real = dir.resolve("real.ckpt"), link = Files.createSymbolicLink(dir.resolve("link.ckpt"), Path.of("real.ckpt"));
        Result r = run(train(dir.resolve("m.vlstm"), "--checkpoint", link.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("removed checkpoint " + link), r.out());
        assertFalse(Files.exists(real), "the checkpoint itself is removed");
        assertTrue(Files.isSymbolicLink(link), "the user's link stays");
    }

    @Test
    void aCheckpointBesideALinksTargetIsNotTakenForTheModel() throws IOException {
        // lnk/../m.vlstm is sub/m.vlstm when lnk leads to sub/deeper; it was refused as --save's m.vlstm (the path was
        // normalized as text, dropping "lnk/..").
        Path deeper = Files.createDirectories(dir.resolve("sub/deeper"));
        Path lnk = Files.createSymbolicLink(dir.resolve("lnk"), deeper);
        Path model = dir.resolve("m.vlstm");
        Result r = run(train(model, "--checkpoint", lnk + "/../m.vlstm"));
        assertEquals(0, r.code(), r.err());
        assertTrue(vectorlstm.io.ModelFile.isModelFile(model));
        assertFalse(Files.exists(dir.resolve("sub/m.vlstm")), "the checkpoint, removed once the model is saved");
    }

    @Test
    void theCheckpointIsRemovedOnceTheModelIsSavedEvenWhenStdoutFails() throws IOException {
        // Before, a closed or full stdout failed the "trained ..." line after the save, and the checkpoint stayed for good.
        Path model = dir.resolve("m.vlstm"), checkpoint = dir.resolve("t.ckpt");
        java.io.OutputStream closed = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        int code = Main.run(train(model, "--checkpoint", checkpoint.toString()).toArray(String[]::new), new java.io.ByteArrayInputStream(new byte[0]),
                closed, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(code != 0, "the output failed");
        assertTrue(vectorlstm.io.ModelFile.isModelFile(model), "the model is saved");
        assertFalse(Files.exists(checkpoint), "and the checkpoint removed");
    }

    @Test
    void aCheckpointThatCannotBeUsedIsRefusedBeforeTheData() throws IOException {
        Path model = dir.resolve("m.vlstm");
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "my notes\n");
        assertRefused(run(train(model, "--checkpoint", notes.toString())), "--checkpoint " + notes + " exists and is not a vector-lstm checkpoint");
        assertEquals("my notes\n", Files.readString(notes), "not replaced");
        assertRefused(run(train(model, "--checkpoint", model.toString())), "--checkpoint and --save are the same file");
        // Two spellings of one file on a fresh run (through a folder's link, or a --save that is a link to the checkpoint's
        // path): were trained, saved, then deleted as the finished checkpoint, exit 0.
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path models = Files.createSymbolicLink(dir.resolve("models"), sub);
        assertRefused(run(train(models.resolve("run1"), "--checkpoint", sub.resolve("run1").toString())), "--checkpoint and --save are the same file");
        Path saveLink = Files.createSymbolicLink(dir.resolve("save-link.vlstm"), dir.resolve("target.ckpt"));
        assertRefused(run(train(saveLink, "--checkpoint", dir.resolve("target.ckpt").toString())), "--checkpoint and --save are the same file");
        assertRefused(run(train(model, "--checkpoint", dir.toString())), "is a folder");
        assertRefused(run(train(model, "--checkpoint", dir.resolve("no/such/folder.ckpt").toString())), "does not exist or is not writable");
        // A link into folders that do not exist: the write made them (a plain missing folder was refused).
        Path intoNowhere = Files.createSymbolicLink(dir.resolve("into-nowhere.vlstm"), Path.of("a/b/c/m.vlstm"));
        assertRefused(run(train(intoNowhere)), "does not exist or is not writable");
        assertRefused(run(train(model, "--checkpoint", intoNowhere.toString())), "does not exist or is not writable");
        assertFalse(Files.exists(dir.resolve("a")), "no folder made");
        assertRefused(run(train(model, "--checkpoint", "")), "--checkpoint needs a file name");
        Path fake = dir.resolve("fake.ckpt");  // a checkpoint's header, then nothing
        String header = "{\"__metadata__\":{\"format\":\"vector-lstm-checkpoint\",\"version\":\"1\"}}";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        Files.write(fake, b.array());
        // A checkpoint larger than the heap: the advice is a larger heap, not to throw the file away.
        Path huge = vectorlstm.io.OversizedCheckpoint.write(dir.resolve("huge.ckpt"));
        Result tooLarge = run(train(model, "--checkpoint", huge.toString()));
        assertRefused(tooLarge, "more than this JVM's free heap");
        assertFalse(tooLarge.err().contains("remove it"), "the file may be whole: " + tooLarge.err());
        Result broken = run(train(model, "--checkpoint", fake.toString()));
        assertRefused(broken, "cannot resume: " + fake + ": the checkpoint's header lacks its training state");
        assertTrue(broken.err().contains("remove it to train from the start"), broken.err());
        assertFalse(broken.out().contains("data:"), "refused before the data was read: " + broken.out());
    }

    @Test
    void aRunWithACheckpointTrainsAsOneWithout() throws IOException {
        Path with = dir.resolve("with.vlstm"), without = dir.resolve("without.vlstm"), checkpoint = dir.resolve("c.ckpt");
        List<String> shorter = train(with, "--checkpoint", checkpoint.toString());
        shorter.set(shorter.indexOf("--epochs") + 1, "2");
        assertEquals(0, run(shorter).code());
        List<String> plain = train(without);
        plain.set(plain.indexOf("--epochs") + 1, "2");
        assertEquals(0, run(plain).code());
        assertArrayEquals(Files.readAllBytes(without), Files.readAllBytes(with));
        assertFalse(Files.exists(checkpoint));
    }

    private static void assertRefused(Result r, String fragment) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(fragment), "'" + r.err().strip() + "' should say '" + fragment + "'");
    }
}
