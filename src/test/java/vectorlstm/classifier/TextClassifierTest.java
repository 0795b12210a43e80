package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

class TextClassifierTest {
    private static final int MAXLEN = 40;
    @TempDir Path dir;

    /** Texts of random words from a 300-word vocabulary; label: does "w7" occur more often than "w11"? */
    private static List<String> texts(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int words = 1 + r.nextInt(60);  // some longer than maxlen: pre-truncation is exercised
            for (int w = 0; w < words; w++) b.append(w == 0 ? "" : (w % 9 == 0 ? "<br />" : " ")).append('w').append(r.nextInt(300));
            out.add(b.toString());
        }
        return out;
    }

    private static TextClassifier trained(int classes) {
        List<String> train = texts(600, 1);
        Tokenizer tokenizer = Tokenizer.builder().numWords(250).build();
        tokenizer.fitOnTexts(train.stream().map(TextPreprocessing.HTML_LINE_BREAKS::apply).toList());
        int[][] x = PadSequences.pad(tokenizer.textsToSequences(train.stream().map(TextPreprocessing.HTML_LINE_BREAKS::apply).toList()), MAXLEN);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = train.get(i).split("w7\\b", -1).length % classes;
        Sequential m = new Sequential(new Embedding(250, 8, MAXLEN), new Lstm(37),
                classes == 2 ? new Dense(1, "sigmoid") : new Dense(classes, "softmax")).seed(5);
        m.compile(classes == 2 ? "binary_crossentropy" : "sparse_categorical_crossentropy", new Adam(0.01f), "accuracy");
        m.fit(x, y, new FitOptions().epochs(1).batchSize(32).verbose(false));
        List<String> labels = classes == 2 ? List.of("even", "odd") : List.of("zero", "one", "two");
        return TextClassifier.of(m, tokenizer, TextPreprocessing.HTML_LINE_BREAKS, labels, MAXLEN);
    }

    @Test
    void sixtyFourThreadsSharingOneClassifierGetBitIdenticalAnswers() throws Exception {
        List<String> texts = texts(2000, 2);
        try (TextClassifier c = trained(3)) {
            List<Classification> alone = new ArrayList<>();
            for (String t : texts) alone.add(c.classify(t));
            List<Classification> shared = classifyOnThreads(c, texts, 64);
            for (int i = 0; i < texts.size(); i++) {
                Classification a = alone.get(i), b = shared.get(i);
                assertEquals(a.label(), b.label(), "text " + i);
                assertEquals(a.knownWords(), b.knownWords(), "text " + i);
                for (int j = 0; j < 3; j++) {
                    assertEquals(Float.floatToIntBits(a.probabilities().get(j)), Float.floatToIntBits(b.probabilities().get(j)), "text " + i + " class " + j);
                }
            }
            // The batch path: same labels, probabilities to about 1e-6.
            List<Classification> batch = c.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < 3; j++) assertEquals(alone.get(i).probabilities().get(j), batch.get(i).probabilities().get(j), 1e-5, "text " + i);
            }
        }
    }

    @Test
    void aClassificationNamesTheLabelAndCountsKnownWords() {
        try (TextClassifier c = trained(2)) {
            Classification a = c.classify("w1 w2 zzz-unknown w3");
            assertEquals(3, a.knownWords(), "the unknown word is dropped, as Keras does");
            assertEquals(1.0, a.probabilities().get(0) + a.probabilities().get(1), 1e-6);
            assertEquals(c.labels().get(a.classId()), a.label());
            assertTrue(a.probability() >= 0.5f);
            assertEquals(0, c.classify("").knownWords(), "empty text: a defined answer that says the model saw nothing");
            assertEquals(0, c.classify("qqq rrr").knownWords());
            assertEquals(MAXLEN, c.classify("w1 ".repeat(100)).knownWords(), "long texts are cut to maxlen");
            assertEquals(c.classify("w1 w2").probabilities(), c.classify("w1<br/>w2").probabilities(), "the recorded preprocessing is applied");
            assertThrows(IllegalArgumentException.class, () -> c.classify((String) null));
            assertEquals("the texts are null", assertThrows(IllegalArgumentException.class, () -> c.classify((List<String>) null)).getMessage());
            assertEquals("the sequences are null", assertThrows(IllegalArgumentException.class, () -> c.classifySequences(null)).getMessage());
        }
    }

    /**
     * A model that takes any length (maxlen 0, as imported Keras and ONNX models can be): a text
     * is scored on its own ids, neither padded nor cut, alone and in a batch of other lengths, and
     * a text without a known word as one padding id.
     */
    @Test
    void aModelOfAnyLengthScoresTextsAsTheyAre() {
        try (TextClassifier fixed = trained(2)) {
            Sequential any = new Sequential(new Embedding(250, 8, vectorlstm.layers.Shape.VARIABLE), new Lstm(37), new Dense(1, "sigmoid")).seed(5);
            any.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            any.setWeights(fixed.model().getWeights());
            try (TextClassifier c = TextClassifier.of(any, fixed.tokenizer(), TextPreprocessing.HTML_LINE_BREAKS, fixed.labels(), 0)) {
                String text = "w1 w2 zzz-unknown w3";
                assertArrayEquals(fixed.tokenizer().textToSequence(text), c.sequence(text), "the known words' ids, no padding");
                assertEquals(100, c.sequence("w1 ".repeat(100)).length, "no truncation either");
                assertArrayEquals(new int[] {0}, c.sequence("qqq rrr"), "nothing known: one padding id");
                IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> c.sequence("w1 ".repeat(Sequential.MAX_SEQUENCE_STEPS + 1)));
                assertTrue(tooLong.getMessage().contains("this model reads at most 100000"), tooLong.getMessage());
                assertEquals(0, c.classify("").knownWords());

                Classification alone = c.classify(text);
                assertEquals(3, alone.knownWords());
                float[] direct = any.predict(new int[][] {c.sequence(text)}, 1);
                assertEquals(direct[0], alone.probabilities().get(1), 1e-6f);
                List<String> batch = List.of(text, "w5", "w1 ".repeat(100), "", "w9 w8 w7 w6 w5 w4");
                List<Classification> together = c.classify(batch);
                for (int i = 0; i < batch.size(); i++) {
                    assertEquals(c.classify(batch.get(i)).probabilities().get(1), together.get(i).probabilities().get(1), 1e-6f, "text " + i);
                }
            }
        }
    }

    @Test
    void savedAndLoadedItAnswersTheSame() {
        Path file = dir.resolve("c.vlstm");
        List<String> texts = texts(50, 3);
        List<Classification> before = new ArrayList<>();
        try (TextClassifier c = trained(2)) {
            for (String t : texts) before.add(c.classify(t));
            c.save(file);
        }
        try (TextClassifier loaded = TextClassifier.load(file)) {
            assertEquals(List.of("even", "odd"), loaded.labels());
            for (int i = 0; i < texts.size(); i++) assertEquals(before.get(i), loaded.classify(texts.get(i)), "text " + i);
        }
    }

    @Test
    void settingWeightsUpdatesEveryPooledScorer() {
        try (TextClassifier c = trained(2)) {
            Classification before = c.classify("w1 w2 w3");
            List<float[]> w = c.model().getWeights();
            float[] bias = w.get(w.size() - 1);
            bias[0] += 5f;  // the Dense bias: p moves towards 1
            c.model().setWeights(w);
            Classification after = c.classify("w1 w2 w3");
            assertTrue(after.probabilities().get(1) > before.probabilities().get(1), before + " -> " + after);
            assertArrayEquals(bias, c.model().layers().get(2).getWeights().get(1));
        }
    }

    @Test
    void closedClassifierRefusesWork() {
        TextClassifier c = trained(2);
        c.classify("w1");
        c.close();
        assertThrows(IllegalStateException.class, () -> c.classify("w1"));
    }

    /** A wide model of any length reads only as many words as fit its working memory (ModelFile.maxSteps), and says so. */
    @Test
    void aWideModelOfAnyLengthRefusesTextsLongerThanItsWorkingMemoryAllows() {
        Tokenizer tokenizer = Tokenizer.builder().build();
        tokenizer.fitOnTexts(List.of("w1"));
        Sequential wide = new Sequential(new Embedding(2, 16384, vectorlstm.layers.Shape.VARIABLE), new vectorlstm.layers.GlobalAveragePooling1D(),
                new Dense(1, "sigmoid")).seed(2);
        wide.compile("binary_crossentropy", new Adam(), "accuracy");
        try (TextClassifier c = TextClassifier.of(wide, tokenizer, TextPreprocessing.NONE, List.of(), 0)) {
            int most = vectorlstm.io.ModelFile.maxSteps(wide);
            assertTrue(most < Sequential.MAX_SEQUENCE_STEPS, "64 KB a step: " + most);
            assertEquals(most, c.sequence("w1 ".repeat(most)).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.sequence("w1 ".repeat(most + 1)));
            assertEquals("the text is " + (most + 1) + " ids long (its words, with the marks the vocabulary adds for a start or an unknown word);"
                    + " this model reads at most " + most + " (scoring more would take over 1024 MB of working memory)", e.getMessage());
            // Among many texts (eval's), the one at fault is named: it was not.
            IllegalArgumentException among = assertThrows(IllegalArgumentException.class,
                    () -> c.classify(List.of("w1", "w1 w1", "w1 ".repeat(most + 1), "w1")));
            assertTrue(among.getMessage().startsWith("text 3 of 4: the text is " + (most + 1) + " ids long"), among.getMessage());
        }
    }

    /**
     * A loaded model never reads its file again: renamed over ({@code mv}), rewritten in place by
     * a larger model ({@code cp}) or cut short, the file changes nothing in the loaded model, on
     * the packed path (LSTM) and layer by layer (GRU). When the model computed on the file's
     * mapping, a {@code cp} changed its answers silently, and a cut file under a GRU ended the JVM
     * (SIGBUS in compiled vector code).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"lstm,renamed", "lstm,copied-over", "lstm,truncated", "gru,copied-over", "gru,truncated"})
    void aModelFileChangedUnderALoadedModelChangesNothingInIt(String stack, String change) throws Exception {
        Path file = dir.resolve("m.vlstm"), larger = dir.resolve("three.vlstm"), renamed = dir.resolve("next.vlstm");
        try (TextClassifier c = stack.equals("gru") ? untrainedGru() : trained(2)) {
            c.save(file);
        }
        try (TextClassifier c = trained(3)) {
            c.save(larger);
            c.save(renamed);
        }
        assertTrue(Files.size(larger) > Files.size(file), "the copy is larger: no page past the end to fault on");
        try (TextClassifier loaded = TextClassifier.load(file)) {
            Classification before = loaded.classify("w1 w7 w3");
            List<Classification> many = loaded.classify(List.of("w1 w7", "w2", "w3 w9"));
            switch (change) {
                case "renamed" -> Files.move(renamed, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                case "copied-over" -> rewriteInPlace(file, Files.readAllBytes(larger));
                default -> rewriteInPlace(file, Arrays.copyOf(Files.readAllBytes(file), 64));
            }
            assertEquals(Float.floatToIntBits(before.probability()), Float.floatToIntBits(loaded.classify("w1 w7 w3").probability()), change);
            List<Classification> again = loaded.classify(List.of("w1 w7", "w2", "w3 w9"));
            for (int k = 0; k < 3; k++) assertEquals(Float.floatToIntBits(many.get(k).probability()), Float.floatToIntBits(again.get(k).probability()), change + ", text " + k);
        }
    }

    /** What {@code cp} does to the file at {@code file}: the same file truncated, then written. */
    private static void rewriteInPlace(Path file, byte[] bytes) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) ch.write(buffer);
        }
    }

    private static TextClassifier untrainedGru() {
        Tokenizer tokenizer = Tokenizer.builder().numWords(250).build();
        tokenizer.fitOnTexts(texts(600, 1));
        Sequential m = new Sequential(new Embedding(250, 8, MAXLEN), new vectorlstm.layers.Gru(13), new Dense(1, "sigmoid")).seed(5);
        m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
        return TextClassifier.of(m, tokenizer, TextPreprocessing.NONE, List.of("even", "odd"), MAXLEN);
    }

    /**
     * The other recurrent stacks shared by many threads (the single-text path of each: GRU, a
     * bidirectional LSTM with masked padding, a sequence-returning LSTM under a GRU): every thread
     * gets the bits one thread alone gets.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gru", "bilstm-masked", "lstm-seq-gru"})
    void otherStacksSharedByThreadsGetBitIdenticalAnswers(String stack) throws Exception {
        List<String> train = texts(300, 3), texts = texts(400, 4);
        Tokenizer tokenizer = Tokenizer.builder().numWords(250).build();
        tokenizer.fitOnTexts(train);
        int[][] x = PadSequences.pad(tokenizer.textsToSequences(train), MAXLEN);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = train.get(i).contains("w7 ") ? 1 : 0;
        Embedding embedding = new Embedding(250, 8, MAXLEN).maskZero(stack.endsWith("masked"));
        vectorlstm.layers.Layer[] layers = switch (stack) {
            case "gru" -> new vectorlstm.layers.Layer[] {embedding, new vectorlstm.layers.Gru(13), new Dense(1, "sigmoid")};
            case "bilstm-masked" -> new vectorlstm.layers.Layer[] {embedding, new vectorlstm.layers.Bidirectional(new Lstm(11)), new Dense(1, "sigmoid")};
            default -> new vectorlstm.layers.Layer[] {embedding, new Lstm(9, true), new vectorlstm.layers.Gru(7), new Dense(1, "sigmoid")};
        };
        Sequential m = new Sequential(layers).seed(3);
        m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
        m.fit(x, y, new FitOptions().epochs(1).batchSize(32).verbose(false));
        try (TextClassifier c = TextClassifier.of(m, tokenizer, TextPreprocessing.NONE, List.of("no", "yes"), MAXLEN)) {
            List<Classification> alone = new ArrayList<>();
            for (String t : texts) alone.add(c.classify(t));
            List<Classification> shared = classifyOnThreads(c, texts, 16);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(Float.floatToIntBits(alone.get(i).probability()), Float.floatToIntBits(shared.get(i).probability()), stack + ", text " + i);
            }
        }
    }

    /** Each text classified on a pool of {@code threads} threads sharing {@code c}, all at once; answers in text order. */
    private static List<Classification> classifyOnThreads(TextClassifier c, List<String> texts, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Classification>> futures = new ArrayList<>();
            for (String t : texts) futures.add(pool.submit(() -> c.classify(t)));
            List<Classification> out = new ArrayList<>();
            for (Future<Classification> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
