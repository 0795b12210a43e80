package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Sequential;
import vectorlstm.text.Json;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

class ModelFileTest {
    @TempDir Path dir;

    private static int[][] ids(int n, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][7];
        for (int[] row : x) for (int t = 0; t < 7; t++) row[t] = r.nextInt(12);
        return x;
    }

    private static Sequential trained() {
        Sequential m = new Sequential(new Embedding(12, 5, 7).trainable(false).learningRateScale(0.25f), new Lstm(6, true), new Lstm(4), new Dense(3, "softmax")).seed(3);
        m.compile("sparse_categorical_crossentropy", new Adam(0.01f), "accuracy");
        int[][] x = ids(40, 1);
        float[] y = new float[40];
        for (int i = 0; i < y.length; i++) y[i] = x[i][0] % 3;
        m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false));
        return m;
    }

    @Test
    void roundTripKeepsArchitectureWeightsTokenizerAndLabels() {
        // frozen embedding, stacked LSTMs and a softmax head: every layer option goes through the file
        Tokenizer tok = Tokenizer.builder().numWords(12).build();
        tok.fitOnTexts(List.of("a good film", "a bad film", "good good"));
        Path file = dir.resolve("m.vlstm");
        int[][] x = ids(9, 2);
        try (Sequential m = trained()) {
            float[] before = m.predict(x, 4);
            ModelFile.save(file, saved(m, tok, List.of("neg", "neutral", "pos"), 7));
            try (SavedModel loaded = ModelFile.load(file)) {
                assertArrayEquals(before, loaded.model().predict(x, 4), 0f, "identical outputs after loading");
                assertEquals(m.summary(), loaded.model().summary());
                assertEquals(List.of("neg", "neutral", "pos"), loaded.labels());
                assertEquals(7, loaded.maxlen());
                assertEquals(tok.wordIndex(), loaded.tokenizer().wordIndex());
                assertEquals("sparse_categorical_crossentropy", loaded.model().loss().name());
                assertEquals(0.25f, ((Embedding) loaded.model().layers().get(0)).learningRateScale());
            }
        }
        assertNoTemporaries();
    }

    @Test
    void roundTripKeepsGruLayersWithTheirOptions() {
        Tokenizer tok = Tokenizer.builder().numWords(12).build();
        tok.fitOnTexts(List.of("a good film", "a bad film"));
        Path file = dir.resolve("gru.vlstm");
        int[][] x = ids(9, 4);
        try (Sequential m = new Sequential(new Embedding(12, 5, 7), new Gru(6, true, true, false), new Gru(4), new Dense(3, "softmax")).seed(5)) {
            m.compile("sparse_categorical_crossentropy", new Adam(0.01f), "accuracy");
            int[][] train = ids(40, 1);
            float[] y = new float[40];
            for (int i = 0; i < y.length; i++) y[i] = train[i][0] % 3;
            m.fit(train, y, new FitOptions().epochs(2).batchSize(8).verbose(false));
            float[] before = m.predict(x, 4);
            ModelFile.save(file, saved(m, tok, List.of("neg", "neutral", "pos"), 7));
            try (SavedModel loaded = ModelFile.load(file)) {
                assertArrayEquals(before, loaded.model().predict(x, 4), 0f, "identical outputs after loading");
                assertEquals(m.summary(), loaded.model().summary());
                Gru first = (Gru) loaded.model().layers().get(1), second = (Gru) loaded.model().layers().get(2);
                assertEquals(List.of(6, true, true, false), List.of(first.units(), first.returnSequences(), first.goBackwards(), first.resetAfter()));
                assertEquals(List.of(4, false, false, true), List.of(second.units(), second.returnSequences(), second.goBackwards(), second.resetAfter()));
            }
        }
        assertNoTemporaries();
    }

    private void assertNoTemporaries() {
        try (var s = Files.list(dir)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(left.isEmpty(), "temporary files left: " + left);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aModelWithABackwardsSequenceUnderAMaskStillLoadsAndScoresAsSaved() throws IOException {
        // Training such a model is refused now (Keras would compute it otherwise); one saved by an earlier version must
        // still open: refusing it at build made its trained weights unusable.
        Path file = dir.resolve("backwards.vlstm");
        int[][] x = {{0, 0, 3, 4, 5, 6, 7}, {0, 0, 0, 0, 0, 6, 11}};
        try (Sequential m = new Sequential(new Embedding(12, 5, 7).maskZero(true), new Lstm(3, true, true), new Lstm(4), new Dense(1, "sigmoid")).seed(8)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFile.save(file, saved(m, null, List.of(), 7));
            try (SavedModel loaded = ModelFile.load(file)) {
                assertArrayEquals(m.predict(x, 2), loaded.model().predict(x, 2), 0f);
            }
        }
    }

    @Test
    void savingOverAnExistingModelReplacesItWhole() throws IOException {
        Path file = dir.resolve("m.vlstm");
        int[][] x = ids(5, 9);
        try (Sequential first = trained(); Sequential second = new Sequential(new Embedding(12, 5, 7), new Lstm(3), new Dense(1, "sigmoid")).seed(8)) {
            second.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFile.save(file, saved(first, null, List.of(), 7));
            ModelFile.save(file, saved(second, null, List.of("no", "yes"), 7));
            try (SavedModel loaded = ModelFile.load(file)) {
                assertEquals(null, loaded.tokenizer());
                assertEquals(List.of("no", "yes"), loaded.labels());
                assertArrayEquals(second.predict(x, 5), loaded.model().predict(x, 5), 0f, "the second model replaced the first");
            }
        }
        assertNoTemporaries();
    }

    @Test
    void aFailedSaveLeavesNothingBehindAndTheOldFileIntact() throws IOException {
        Path target = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(target.resolve("inside.txt"), "a non-empty folder cannot be replaced by a file");
        try (Sequential m = trained()) {
            assertThrows(java.io.UncheckedIOException.class, () -> ModelFile.save(target, saved(m, null, List.of(), 7)));
            assertRefused(() -> saved(m, null, List.of("only-one"), 7), "do not fit an output");
            assertRefused(() -> saved(m, null, List.of("a", "b", "c"), 9), "maxlen 9 differs");
            assertRefused(() -> saved(m, null, List.of("a", "b", "a"), 7), "repeat a name");
        }
        try (Sequential uncompiled = new Sequential(new Embedding(12, 5, 7), new Lstm(3), new Dense(1, "sigmoid"))) {
            uncompiled.build();
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(dir.resolve("x.vlstm"), saved(uncompiled, null, List.of(), 7)));
            assertTrue(e.getMessage().contains("compile the model"), e.getMessage());
        }
        assertNoTemporaries();
        assertTrue(Files.isDirectory(target));
    }

    @Test
    void aModelWhoseScoringWouldNeedGigabytesIsNotSavedSinceItCouldNotBeLoaded() {
        // 150 KB of weights, but a 3,000-wide embedding at 100,000 steps: 2.3 GB of working memory
        // for one prediction, which a load refuses (forged files: HostileInputTest).
        Path file = dir.resolve("wide.vlstm");
        try (Sequential m = new Sequential(new Embedding(12, 3000, 100_000), new Dropout(0), new Lstm(1), new Dense(1, "sigmoid"))) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, null, 100_000)));
            assertEquals("cannot save: scoring one sequence would need 2294 MB of working memory (its 100000 steps times its layers' widths), more than the 1024 MB"
                    + " a model file may ask for, so the file could not be loaded again", e.getMessage());
            assertThrows(ModelFileException.class, () -> ModelFile.checkLoadable(new SavedModel(m, null, TextPreprocessing.NONE, null, 100_000)));
        }
        assertFalse(Files.exists(file));
        assertNoTemporaries();
        // The same layers at 500 steps are an ordinary model.
        Path ordinary = dir.resolve("ordinary.vlstm");
        try (Sequential m = new Sequential(new Embedding(12, 3000, 500), new Dropout(0), new Lstm(1), new Dense(1, "sigmoid"))) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFile.save(ordinary, new SavedModel(m, null, TextPreprocessing.NONE, null, 500));
        }
        try (SavedModel loaded = ModelFile.load(ordinary)) {
            assertEquals(1, loaded.model().predict(new int[][] {new int[500]}, 1).length);
        }
    }

    private static SavedModel saved(Sequential m, Tokenizer tok, List<String> labels, int maxlen) {
        return new SavedModel(m, tok, TextPreprocessing.HTML_LINE_BREAKS, labels, maxlen);
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable e, String fragment) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(fragment), x.getMessage());
    }

    /** A trained model with labels a, b, c and maxlen 7, saved as m.vlstm: what the damage tests start from. */
    private Path savedThreeLabelModel() {
        Path file = dir.resolve("m.vlstm");
        try (Sequential m = trained()) {
            ModelFile.save(file, saved(m, null, List.of("a", "b", "c"), 7));
        }
        return file;
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRefused() throws IOException {
        Path file = savedThreeLabelModel();
        byte[] good = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.vlstm");
        Files.write(truncated, Arrays.copyOf(good, good.length - 100));
        assertMessage(truncated, "outside the file");

        byte[] flipped = good.clone();
        flipped[good.length - 50] ^= 0x10;  // inside the weights, which the header's checksum covers
        Path corrupt = dir.resolve("corrupt.vlstm");
        Files.write(corrupt, flipped);
        assertMessage(corrupt, "checksum");

        Path foreign = dir.resolve("notes.txt");
        Files.writeString(foreign, "this is not a model, just some text that is long enough");
        assertMessage(foreign, "not a vector-lstm model file");

        Path empty = dir.resolve("empty.vlstm");
        Files.write(empty, new byte[0]);
        assertMessage(empty, "not a vector-lstm model file");

        assertMessage(dir.resolve("missing.vlstm"), "not found");

        // Files of another kind given as a model are named with the way on: they were only "not a model".
        Path keras = dir.resolve("model.h5");
        Files.write(keras, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0, 0, 0, 0, 0});
        assertMessage(keras, "it is an HDF5 file, as a Keras .h5 model is (convert one with lstm import --keras)");
        Path archive = dir.resolve("model.keras");
        Files.write(archive, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertMessage(archive, "it is a zip archive, as a Keras .keras model is");

        String header = new String(good, 8, (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
        Path newer = dir.resolve("newer.vlstm");
        Files.write(newer, withHeader(good, header.replace("\"version\":\"2\"", "\"version\":\"3\"")));
        assertMessage(newer, "newer than this build reads");
        Path checkpoint = dir.resolve("training.ckpt");
        Files.write(checkpoint, withHeader(good, header.replace("\"format\":\"" + ModelFile.FORMAT + "\"", "\"format\":\"vector-lstm-checkpoint\"")));
        assertMessage(checkpoint, "is a training checkpoint, not a model");
        for (String other : new String[] {"1", "2.0", "x", "-3"}) {  // not a newer build's file: said so, not "newer"
            Files.write(newer, withHeader(good, header.replace("\"version\":\"2\"", "\"version\":\"" + other + "\"")));
            assertMessage(newer, "model file version " + other + " is not one this build reads (2)");
        }


        // A forged header that claims an 8 GB embedding: refused from the sizes alone, before any allocation.
        Path forged = dir.resolve("forged.vlstm");
        String claim = header.replace("\"shape\":[12,5],\"data_offsets\":[0,240]", "\"shape\":[400000000,5],\"data_offsets\":[0,8000000000]");
        assertTrue(!claim.equals(header), "the forgery applies");
        Files.write(forged, withHeader(good, claim));
        assertMessage(forged, "outside the file");

        // The last entry's bytes forged to 256 MB over a sparse tail (the offsets stay contiguous and inside the file):
        // refused from the header before the data is allocated and read (it was copied whole, then the checksum
        // refused it: 4 GB of memory for a 2 GB claim in an 8 KB file).
        java.util.regex.Matcher offsets = java.util.regex.Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)\\]").matcher(header);
        long lastBegin = -1, lastEnd = -1;
        while (offsets.find()) {
            if (Long.parseLong(offsets.group(2)) > lastEnd) {
                lastBegin = Long.parseLong(offsets.group(1));
                lastEnd = Long.parseLong(offsets.group(2));
            }
        }
        long claimedEnd = lastBegin + (256L << 20);
        String bigger = header.replace("\"data_offsets\":[" + lastBegin + "," + lastEnd + "]", "\"data_offsets\":[" + lastBegin + "," + claimedEnd + "]");
        assertTrue(!bigger.equals(header), "the forgery applies");
        Path sparse = dir.resolve("sparse.vlstm");
        byte[] forgedBytes = withHeader(good, bigger);
        Files.write(sparse, forgedBytes);
        long headerBytes = ByteBuffer.wrap(forgedBytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(8 + headerBytes + claimedEnd);
        }
        assertMessage(sparse, "more than alignment needs");

        // An entry moved back over the one before it is inside the file: said as such, not "outside the file".
        java.util.regex.Matcher second = java.util.regex.Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)\\]").matcher(header);
        long begin = -1, end = -1;
        while (second.find()) {
            if (Long.parseLong(second.group(1)) >= 64) { begin = Long.parseLong(second.group(1)); end = Long.parseLong(second.group(2)); break; }
        }
        assertTrue(begin >= 64, header);
        Path overlapping = dir.resolve("overlapping.vlstm");
        Files.write(overlapping, withHeader(good, header.replace("\"data_offsets\":[" + begin + "," + end + "]", "\"data_offsets\":[" + (begin - 64) + "," + (end - 64) + "]")));
        assertMessage(overlapping, "does not start where the one before it ends (" + begin + ")");

        // A padding entry damaged (a flipped bit in its dtype, shape or name) loaded as if whole,
        // and the file then failed in Python's safetensors, the docs' way to read it elsewhere.
        java.util.regex.Matcher pad = java.util.regex.Pattern.compile("\"__padding_0__\":\\{\"dtype\":\"U8\",\"shape\":\\[(\\d+)\\]").matcher(header);
        assertTrue(pad.find(), "the model has a padding entry: " + header);
        String whole = pad.group(), n = pad.group(1);
        for (String damaged : new String[] {whole.replace("U8", "U9"), whole.replace("[" + n + "]", "[" + (Long.parseLong(n) + 1) + "]"),
                whole.replace("__padding_0__", "__padding_0x_"), whole.replace("\"dtype\"", "\"etype\"")}) {
            Path broken = dir.resolve("padding.vlstm");
            Files.write(broken, withHeader(good, header.replace(whole, damaged)));
            assertMessage(broken, "is not the U8 [" + n + "] filler the writer puts there");
        }

        // The safetensors shape alone forged (the bytes and the description still agree): other
        // readers go by that shape, so it must match too.
        for (String shape : new String[] {"[-12,-5]", "[5,12]", "[1099511627776,1099511627776]", "[60]"}) {
            Path reshaped = dir.resolve("reshaped.vlstm");
            String forgedShape = header.replace("\"shape\":[12,5],", "\"shape\":" + shape + ",");
            assertTrue(!forgedShape.equals(header), "the forgery applies");
            Files.write(reshaped, withHeader(good, forgedShape));
            assertMessage(reshaped, "has shape " + shape.replace(",", ", "));
        }

        // A header whose description was changed without its checksum.
        Path edited = dir.resolve("edited.vlstm");
        Files.write(edited, withHeader(good, header.replace("\\\"inputDim\\\":12", "\\\"inputDim\\\":13")));
        assertMessage(edited, "checksum");

        Path deep = dir.resolve("deep.vlstm");
        Files.write(deep, withHeader(good, "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        assertMessage(deep, "nested deeper");

        Path folder = Files.createDirectories(dir.resolve("a-folder.vlstm"));
        assertMessage(folder, "not a regular file");
    }

    /**
     * Damage inside the checksummed description is damage: it was read before the checksum was
     * checked, and called "unknown layer type 'LSTO'", "unknown text preprocessing" or a forgery.
     */
    @Test
    void damageInsideTheDescriptionIsAChecksumMismatch() throws IOException {
        Path file = savedThreeLabelModel();
        byte[] good = Files.readAllBytes(file);
        String header = new String(good, 8, (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
        String[][] flips = {
            {"\\\"type\\\":\\\"LSTM\\\"", "\\\"type\\\":\\\"LSTO\\\""},
            {"html_line_breaks", "htol_line_breaks"},
            {"\\\"shape\\\":[12,5]", "\\\"shape\\\":[12,9]"},
            {"\\\"units\\\":6", "\\\"units\\\":7"},
        };
        for (String[] flip : flips) {
            String damaged = header.replaceFirst(java.util.regex.Pattern.quote(flip[0]), java.util.regex.Matcher.quoteReplacement(flip[1]));
            assertTrue(!damaged.equals(header), "the damage applies: " + flip[0]);
            Path broken = dir.resolve("flipped.vlstm");
            Files.write(broken, withHeader(good, damaged));
            assertMessage(broken, broken + " is corrupt (checksum mismatch)");
        }
    }

    /** Native memory that cannot be had: the message said "not enough memory ... give the JVM more (-Xmx...)", which cannot help, and named no file. */
    @Test
    void dataTooLargeForThisMachineIsRefusedNamingTheFileAndSize() throws IOException {
        Path file = Files.write(dir.resolve("huge.vlstm"), new byte[64]);
        long bytes = 1L << 60;  // beyond any machine's memory and address space
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            ModelFileException e = assertThrows(ModelFileException.class, () -> TensorData.copyOfData(ch, 0, bytes, arena, file));
            assertEquals(file + " needs " + (bytes >> 20) + " MB of memory for its weights; this machine could not give it", e.getMessage());
        }
    }

    @Test
    void aDamagedTensorEntryOrADescriptionThatIsNotAnObjectIsRefusedNamingTheFile() throws IOException {
        Path file = savedThreeLabelModel();
        byte[] good = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(good, 8, n, StandardCharsets.UTF_8);

        // The tensor entries lie outside the checksum, so plain damage reaches them. Found by
        // fuzzing: these said "model header: expected an object" without naming the file.
        String entry = "{\"dtype\":\"F32\",\"shape\":[12,5],\"data_offsets\":[0,240]}";
        for (String damaged : new String[] {"[]", "{\"dtype\":\"F32\",\"shape\":[12,5],\"data_offsets\":\"0\"}"}) {
            Path broken = dir.resolve("entry.vlstm");
            assertTrue(header.contains(entry), header);
            Files.write(broken, withHeader(good, header.replace(entry, damaged)));
            assertMessage(broken, broken + ": tensor 'embedding/embeddings' is not an object with data_offsets");
        }

        // Valid JSON but no object, under a valid checksum (forged): named as well.
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) Json.parse(header);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) h.get("__metadata__");
        CRC32C crc = new CRC32C();
        crc.update("[]".getBytes(StandardCharsets.UTF_8));
        crc.update(good, 8 + n, good.length - 8 - n);
        meta.put("vlstm.model", "[]");
        meta.put("vlstm.crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
        Path listed = dir.resolve("listed.vlstm");
        Files.write(listed, withHeader(good, Json.write(h)));
        assertMessage(listed, listed + ": the model description is not a JSON object");
    }

    /**
     * A file whose weight list (description and safetensors entries alike, checksum recomputed)
     * names another weight than the layers make at that place: an LSTM over 4-wide input with 4
     * units has a kernel and a recurrent kernel of the same shape, so sizes alone cannot tell them
     * apart, and other safetensors readers would read the two the other way round.
     */
    @Test
    void aWeightListThatIsNotTheLayersOwnIsRefused() throws IOException {
        Path file = dir.resolve("twins.vlstm");
        try (Sequential m = new Sequential(new Embedding(10, 4, 6), new Lstm(4), new Dense(1, "sigmoid")).seed(3)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, List.of(), 6));
        }
        byte[] good = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(good, 8, n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"lstm/kernel\"") && header.contains("\"lstm/recurrent_kernel\""), header);

        String swapped = header.replace("lstm/kernel", "@K@").replace("lstm/recurrent_kernel", "lstm/kernel").replace("@K@", "lstm/recurrent_kernel");
        Path forged = dir.resolve("forged-twins.vlstm");
        Files.write(forged, withChecksummedHeader(good, swapped));
        assertMessage(forged, forged + ": weight 1 is listed as 'lstm/recurrent_kernel' [4, 16], but the layers make it 'lstm/kernel' [4, 16]");

        // The same forgery with the shapes changed too: the sizes still add up, the layers still disagree.
        Files.write(forged, withChecksummedHeader(good, swapped.replace("[4,16]", "[16,4]")));
        assertMessage(forged, "but the layers make it");
    }

    /**
     * A loaded model computes on its file's mapping until the first write copies its weights out;
     * the workers of an evaluate before that kept a view of the mapped padding row and, after
     * setWeights, evaluated the new weights with the old row (a loss 0.6830 against 0.7456).
     */
    @Test
    void aLoadedModelEvaluatesTheWeightsItWasGivenAfterItsFirstEvaluate() throws IOException {
        int[][] x = {{0, 0, 0, 0, 1, 2, 3, 4}, {0, 0, 0, 5, 6, 7, 8, 9}, {0, 0, 0, 0, 0, 0, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8}};
        float[] y = {0, 1, 1, 0};
        Path file = dir.resolve("loaded.vlstm");
        java.util.function.Supplier<Sequential> fresh = () -> new Sequential(new Embedding(20, 4, 8), new Lstm(3), new Dense(1, "sigmoid")).seed(3).threads(1);
        List<float[]> changed;
        try (Sequential m = fresh.get()) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, List.of(), 8));
            changed = m.getWeights();
        }
        Arrays.fill(changed.get(0), 0, 4, 0.9f);                               // the padding id's row
        for (int i = 0; i < changed.get(1).length; i++) changed.get(1)[i] *= 3;  // and the LSTM's kernel
        double expected;
        try (Sequential m = fresh.get()) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            m.setWeights(changed);
            expected = m.evaluate(x, y, 4).loss();
        }
        try (SavedModel loaded = ModelFile.load(file)) {
            Sequential m = loaded.model().threads(1);
            double before = m.evaluate(x, y, 4).loss();
            m.setWeights(changed);
            assertEquals(expected, m.evaluate(x, y, 4).loss(), 0, "evaluate on the weights set (before them: " + before + ")");
        }
    }

    /** Training is bit-identical for a seed and a thread count, and so is its file: the epochs' wall times made every file differ. */
    @Test
    void theSameTrainingGivesTheSameFileByteForByte() throws IOException {
        int[][] x = {{0, 0, 1, 2, 3}, {0, 4, 5, 6, 7}, {1, 2, 3, 4, 5}, {0, 0, 0, 8, 9}, {3, 3, 2, 2, 1}, {0, 9, 8, 7, 6}};
        float[] y = {0, 1, 1, 0, 1, 0};
        byte[][] files = new byte[2][];
        for (int run = 0; run < 2; run++) {
            try (Sequential m = new Sequential(new Embedding(12, 4, 5), new Lstm(3), new Dense(1, "sigmoid")).seed(11).threads(1)) {
                m.compile("binary_crossentropy", new Adam(), "accuracy");
                vectorlstm.model.History h = m.fit(x, y, new FitOptions().epochs(3).batchSize(2).verbose(false));
                Path file = dir.resolve("run" + run + ".vlstm");
                ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, List.of(), 5, h));
                files[run] = Files.readAllBytes(file);
                if (run == 0) Thread.sleep(20);  // another wall time for the second run's epochs
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertArrayEquals(files[0], files[1]);
        try (SavedModel loaded = ModelFile.load(dir.resolve("run1.vlstm"))) {
            assertEquals(3, loaded.history().epochs().size(), "the history is kept, without the times");
        }
    }

    /** The file with a forged header whose checksum is made again over its description and the file's data, as a forger would. */
    private static byte[] withChecksummedHeader(byte[] file, String header) {
        int n = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) Json.parse(header);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) h.get("__metadata__");
        CRC32C crc = new CRC32C();
        crc.update(((String) meta.get("vlstm.model")).getBytes(StandardCharsets.UTF_8));
        crc.update(file, 8 + n, file.length - 8 - n);
        meta.put("vlstm.crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
        return withHeader(file, Json.write(h));
    }

    /** The file with its safetensors header replaced (padded to the original length when shorter). */
    private static byte[] withHeader(byte[] file, String header) {
        long oldLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int length = (int) Math.max(oldLength, (8 + h.length + 63) / 64 * 64 - 8);  // the data stays on a 64-byte boundary
        byte[] out = new byte[8 + length + (file.length - 8 - (int) oldLength)];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
        Arrays.fill(out, 8, 8 + length, (byte) ' ');
        System.arraycopy(h, 0, out, 8, h.length);
        System.arraycopy(file, 8 + (int) oldLength, out, 8 + length, file.length - 8 - (int) oldLength);
        return out;
    }

    @Test
    void versionOneFilesStillLoad() throws IOException, java.net.URISyntaxException {
        // Written by the release before format 2 (commit ec29fde) with its predictions of four sequences.
        Path v1 = Path.of(getClass().getResource("/models/v1-small.vlstm").toURI());
        List<String> bits = Files.readAllLines(Path.of(getClass().getResource("/models/v1-small.predictions").toURI()));
        int[][] x = {{0, 0, 0, 0, 1, 2, 3}, {0, 0, 0, 0, 1, 4, 3}, {0, 0, 0, 0, 2, 2, 5}, {0, 0, 0, 0, 4, 6, 3}};
        try (SavedModel loaded = ModelFile.load(v1)) {
            float[] p = loaded.model().predict(x, 4);
            for (int i = 0; i < x.length; i++) assertEquals(Float.intBitsToFloat(Integer.parseInt(bits.get(i))), p[i], 1e-6, "sequence " + i);
            assertEquals(List.of("neg", "pos"), loaded.labels());
            assertEquals(TextPreprocessing.HTML_LINE_BREAKS, loaded.preprocessing());
            assertTrue(loaded.tokenizer().wordIndex().containsKey("good"));
            // and it saves as version 2, with the same outputs
            Path v2 = dir.resolve("v2.vlstm");
            ModelFile.save(v2, loaded);
            try (SavedModel again = ModelFile.load(v2)) {
                assertArrayEquals(p, again.model().predict(x, 4), 0f);
            }
        }
    }

    @Test
    void twoWeightsOfOneNameAreNotSavedSinceTheFileCouldNotBeReadBack() {
        // "bi" + "/forward_lstm/kernel" and "bi/forward_lstm" + "/kernel": distinct layer names, one weight name.
        Path file = dir.resolve("collide.vlstm");
        vectorlstm.layers.Bidirectional bi = new vectorlstm.layers.Bidirectional(new Lstm(3), vectorlstm.layers.Bidirectional.MergeMode.CONCAT);
        bi.setName("bi");
        Dense head = new Dense(1, "sigmoid");
        head.setName("bi/forward_lstm");
        try (Sequential m = new Sequential(new Embedding(12, 4, 5), bi, head)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, null, 5)));
            assertEquals("cannot save: two weights are named 'bi/forward_lstm/kernel' (a layer name with '/' meets another layer's weight): rename a layer", e.getMessage());
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aSymbolicLinkLoopIsNamedAsSuch() throws IOException {
        Path a = dir.resolve("a.vlstm"), b = dir.resolve("b.vlstm");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(a).close());
        assertEquals(a + " is a symbolic link that leads to no file (broken, or a loop)", e.getMessage());
        assertEquals("model file not found: " + dir.resolve("none.vlstm"), assertThrows(ModelFileException.class, () -> ModelFile.load(dir.resolve("none.vlstm"))).getMessage());
    }

    @Test
    void aVersionOneFileBeyond2GiBIsRefusedBeforeAnythingIsRead() throws Exception {
        // The real version-1 file with its last weight claiming 600,000,001 floats, and a sparse
        // file of that size (2.4 GB, no disk used): it failed as an internal error after zeroing 2.4 GB.
        byte[] v1 = Files.readAllBytes(Path.of(getClass().getResource("/models/v1-small.vlstm").toURI()));
        int headerLength = ByteBuffer.wrap(v1, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        String header = new String(v1, 12, headerLength, StandardCharsets.UTF_8);
        String forged = header.replace("\"name\":\"dense/bias\",\"shape\":[1],\"size\":1}", "\"name\":\"dense/bias\",\"shape\":[1],\"size\":600000001}");
        assertTrue(!forged.equals(header), header);
        byte[] h = forged.getBytes(StandardCharsets.UTF_8);
        long weightBytes = v1.length - 8 - 12 - headerLength + 600_000_000L * Float.BYTES;
        Path file = dir.resolve("big-v1.vlstm");
        try (var out = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            out.write(v1, 0, 8);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
            out.write(h);
            out.setLength(12 + h.length + weightBytes + 8);
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file).close());
        assertTrue(e.getMessage().contains("a version-1 model file of " + Files.size(file) + " bytes; this build reads those up to 2 GiB"), e.getMessage());
    }

    /**
     * A file cut short after its size was read (a {@code cp} over it while it loads): refused as
     * such. Mapping past the end of a file opened for reading is the JDK's IOException ("cannot
     * extend file"), which passed the load's cleanup and left the whole copy allocated.
     */
    @Test
    void aFileThatShrankBeforeItsDataIsCopiedIsRefusedAsSuch() throws IOException {
        Path file = Files.write(dir.resolve("short.bin"), new byte[1000]);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            ModelFileException e = assertThrows(ModelFileException.class, () -> TensorData.copyOfData(ch, 64, 4096, arena, file));
            assertTrue(e.getMessage().contains("shrank while it was being loaded"), e.getMessage());
            assertEquals(1000, TensorData.copyOfData(ch, 0, 1000, arena, file).byteSize(), "a whole file copies");
        }
    }

    @Test
    void loadedWeightsAreACopyAndTrainingDoesNotWriteTheFile() throws IOException {
        Path file = dir.resolve("m.vlstm");
        try (Sequential m = trained()) {
            ModelFile.save(file, saved(m, null, List.of(), 7));
        }
        byte[] before = Files.readAllBytes(file);
        try (SavedModel loaded = ModelFile.load(file)) {
            for (var layer : loaded.model().layers()) {
                for (var p : layer.parameters()) assertFalse(p.value().segment().isMapped(), p + " is the model's own copy, not a view of the file");
            }
            assertEquals(List.of("0", "1", "2"), loaded.labels(), "no labels saved: the class ids");
            int[][] x = ids(16, 4);
            float[] y = new float[16];
            loaded.model().fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(false));
        }
        assertArrayEquals(before, Files.readAllBytes(file), "fine-tuning a loaded model leaves its file as it was");
    }

    @Test
    void theFileIsSafetensorsWithAlignedWeights() throws IOException {
        Path file = dir.resolve("m.vlstm");
        try (Sequential m = trained()) {
            ModelFile.save(file, saved(m, null, List.of(), 7));
        }
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 64, "data starts on a 64-byte boundary");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> header = (java.util.Map<String, Object>) vectorlstm.text.Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        long expected = 0;
        for (var e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            @SuppressWarnings("unchecked")
            List<Object> off = (List<Object>) ((java.util.Map<String, Object>) e.getValue()).get("data_offsets");
            assertEquals(expected, off.get(0), "no holes (safetensors): " + e.getKey());
            if (!e.getKey().startsWith("__padding_")) assertEquals(0L, (Long) off.get(0) % 64, e.getKey() + " is 64-byte aligned");
            expected = (Long) off.get(1);
        }
        assertEquals(bytes.length - 8 - n, expected, "the tensors cover the data exactly");
    }

    private static void assertMessage(Path file, String fragment) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** A file channel closes itself when its thread is interrupted: the message said only "failed (java.nio...)". */
    @Test
    void aLoadOnAnInterruptedThreadSaysSo() throws Exception {
        Path file = dir.resolve("m.vlstm");
        Tokenizer tok = Tokenizer.builder().numWords(12).build();
        tok.fitOnTexts(List.of("a good film", "a bad film"));
        try (Sequential m = trained()) {
            ModelFile.save(file, saved(m, tok, List.of("neg", "neutral", "pos"), 7));
        }
        Thread.currentThread().interrupt();
        try {
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
            assertTrue(e.getMessage().contains("interrupted (the calling thread's interrupt flag was set"), e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void pythonReadsTheFileWithNumpyAlone() throws Exception {
        boolean numpy;
        try {
            numpy = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            numpy = false;  // no python3 on the PATH at all (a JDK container image): skipped off CI, not an error
        }
        vectorlstm.TestEnvironment.require(numpy, "python3 with numpy");
        Path file = dir.resolve("m.vlstm");
        Tokenizer tok = Tokenizer.builder().numWords(12).build();
        tok.fitOnTexts(List.of("a good film", "a bad film"));
        List<float[]> weights;
        try (Sequential m = trained()) {
            ModelFile.save(file, saved(m, tok, List.of("neg", "neutral", "pos"), 7));
            weights = m.getWeights();
        }
        Process p = new ProcessBuilder("python3", "tools/model_file/read_vlstm.py", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("labels: ['neg', 'neutral', 'pos'] maxlen: 7"), out);
        assertTrue(out.contains("checksum: ok"), "an independent CRC-32C agrees: " + out);
        List<String> rows = out.lines().filter(l -> l.contains(" mean ")).toList();
        assertEquals(weights.size(), rows.size(), out);
        for (int i = 0; i < rows.size(); i++) {
            double mean = 0;
            for (float v : weights.get(i)) mean += v;
            mean /= weights.get(i).length;
            assertEquals(mean, Double.parseDouble(rows.get(i).replaceAll(".* mean ", "")), 1e-6, rows.get(i));
        }
        // The tensor table lies outside the checksum: a shape changed there was reshaped and printed, "checksum: ok".
        byte[] good = Files.readAllBytes(file);
        String header = new String(good, 8, (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
        java.util.regex.Matcher shape = java.util.regex.Pattern.compile("\"dtype\":\"F32\",\"shape\":\\[(\\d+),(\\d+)\\]").matcher(header);
        assertTrue(shape.find() && !shape.group(1).equals(shape.group(2)), header);
        Path forged = dir.resolve("forged.vlstm");
        Files.write(forged, withHeader(good, header.replace(shape.group(), "\"dtype\":\"F32\",\"shape\":[" + shape.group(2) + "," + shape.group(1) + "]")));
        Process q = new ProcessBuilder("python3", "tools/model_file/read_vlstm.py", forged.toString()).redirectErrorStream(true).start();
        String refused = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(q.waitFor() != 0 && refused.contains("differs from the model's weights") && !refused.contains("checksum: ok"), refused);
        // A weight's byte flipped: the script printed "checksum: MISMATCH", exited 0 and wrote the damaged weights to its .npz.
        byte[] flipped = good.clone();
        flipped[flipped.length - 3] ^= 0x40;
        Path damaged = Files.write(dir.resolve("damaged.vlstm"), flipped);
        Path npz = dir.resolve("damaged.npz");
        Process r = new ProcessBuilder("python3", "tools/model_file/read_vlstm.py", damaged.toString(), npz.toString()).redirectErrorStream(true).start();
        String mismatch = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(r.waitFor() != 0 && mismatch.contains("checksum MISMATCH") && !Files.exists(npz), mismatch);
    }
}
