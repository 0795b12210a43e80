package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Keras IMDB word index encodes texts exactly as {@code imdb.load_data(num_words)} encoded the reviews. */
class KerasImdbWordIndexTest {
    @TempDir Path dir;

    /** Ranks as Keras' file has them for these words: the 1, and 2, a 3, of 4, film 19, br 7, don't 89. */
    private static final String SMALL = """
            {"the": 1, "and": 2, "a": 3, "of": 4, "br": 7, "film": 19, "don't": 89, "masterpiece": 120}
            """;

    private KerasImdbWordIndex small(int numWords) throws IOException {
        return KerasImdbWordIndex.load(Files.writeString(dir.resolve("index.json"), SMALL), numWords);
    }

    /** A file saved with a byte order mark was refused with "unexpected character ''" (the mark is invisible). */
    @Test
    void aByteOrderMarkIsDropped() throws IOException {
        KerasImdbWordIndex index = KerasImdbWordIndex.load(Files.writeString(dir.resolve("bom.json"), "\uFEFF" + SMALL), 100);
        assertArrayEquals(new int[] {1, 4, 22}, index.textToSequence("the film"));
    }

    @Test
    void encodesLikeLoadDataWithTheStartMarkRareAndUnknownWords() throws IOException {
        KerasImdbWordIndex index = small(100);
        // start 1; the 1+3; film 19+3; "Don't" lower-cased, its apostrophe kept: 89+3 = 92; a 3+3;
        // masterpiece 120+3 >= 100 → 2 (rare); zyzzyva not in the index → 2; "!" and "," removed.
        int[] ids = index.textToSequence("The film, Don't a MASTERPIECE zyzzyva!");
        assertArrayEquals(new int[] {1, 4, 22, 92, 6, 2, 2}, ids);
        assertEquals(List.of("the", "film", "don't", "a", "masterpiece", "zyzzyva"), index.textToWordSequence("The film, Don't a MASTERPIECE zyzzyva!"));
        assertEquals(100, index.vocabularySize());
        assertTrue(index.isWord(4));
        assertFalse(index.isWord(KerasImdbWordIndex.START));
        assertFalse(index.isWord(KerasImdbWordIndex.OOV));
        assertFalse(index.isWord(0));
    }

    @Test
    void aNullIndexWordOrRankIsRefusedByName() {
        assertEquals("the word index is empty", assertThrows(IllegalArgumentException.class, () -> KerasImdbWordIndex.of(null, 100)).getMessage());
        java.util.Map<String, Integer> withNull = new java.util.HashMap<>();
        withNull.put("the", 1);
        withNull.put("film", null);
        assertEquals("the word index holds a null word or rank",
                assertThrows(IllegalArgumentException.class, () -> KerasImdbWordIndex.of(withNull, 100)).getMessage());
    }

    @Test
    void htmlLineBreaksBecomeTheWordBrAsInTheImdbData() throws IOException {
        String text = TextPreprocessing.NONE.apply("good<br /><br />film");
        assertArrayEquals(new int[] {1, 2, 10, 10, 22}, small(100).textToSequence(text), "good is unknown; br is rank 7 → id 10");
    }

    @Test
    void onlyWordsBelowNumWordsAreKept() throws IOException {
        KerasImdbWordIndex index = small(23);   // ids below 23: ranks 1..19
        assertEquals(List.of("the", "and", "a", "of", "br", "film"), List.copyOf(index.wordIndex().keySet()));
        assertEquals(22, index.wordId("film"));
        assertEquals(KerasImdbWordIndex.OOV, index.wordId("don't"));
        assertEquals(KerasImdbWordIndex.OOV, small(22).wordId("film"), "id 22 needs numWords above 22");
    }

    @Test
    void survivesItsJsonFormWithRankGaps() throws IOException {
        KerasImdbWordIndex index = small(200);
        Object json = Json.parse(Json.write(index.toJsonMap()));
        Vocabulary back = Vocabulary.fromJsonMap(json);
        KerasImdbWordIndex read = assertInstanceOf(back);
        assertEquals(index.wordIndex(), read.wordIndex());
        assertEquals(200, read.numWords());
        assertArrayEquals(index.textToSequence("the masterpiece of film"), read.textToSequence("the masterpiece of film"));
    }

    @Test
    void savedFormsOfAnotherKindOrVersionAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJsonMap(java.util.Map.of("format", "mystery")))
                .getMessage().contains("format is mystery"));
        java.util.Map<String, Object> newer = new java.util.LinkedHashMap<>(KerasImdbWordIndex.of(java.util.Map.of("the", 1), 10).toJsonMap());
        newer.put("version", 2L);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromJsonMap(newer))
                .getMessage().contains("unsupported Keras IMDB word index version 2"));
    }

    private static KerasImdbWordIndex assertInstanceOf(Vocabulary v) {
        assertTrue(v instanceof KerasImdbWordIndex, "read back as " + v.getClass());
        return (KerasImdbWordIndex) v;
    }

    @Test
    void hostileFilesAreClearErrors() throws IOException {
        assertBad("[\"the\", \"and\"]", "one JSON object of word → rank, not a list");
        assertBad("{\"the\": \"1\"}", "word \"the\" has rank \"1\"; a rank is an integer from 1 to 2147483644");
        assertBad("{\"the\": {\"x\": 1}}", "word \"the\" has rank {\"x\":1}; a rank is an integer");
        assertBad("{\"the\": 9999999999}", "has rank 9999999999; a rank is an integer from 1 to 2147483644");
        assertBad("{\"the\": 1.5}", "has rank 1.5");
        assertBad("{\"the\": 0}", "has rank 0");
        assertBad("{\"the\": 99999999999999999999}", "index.json");
        assertBad("{\"the\": 1, \"and\": 1}", "rank 1 is given to both \"the\" and \"and\"");
        assertBad("{\"the\": 1, \"the\": 2}", "duplicate key \"the\"");
        assertBad("{}", "the word index is empty");
        assertBad("{\"the\": 1", "index.json");
        Files.write(dir.resolve("index.json"), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        assertEquals("not UTF-8", message(() -> KerasImdbWordIndex.load(dir.resolve("index.json"), 100)).replaceAll(".*(not UTF-8).*", "$1"));
        assertTrue(message(() -> KerasImdbWordIndex.load(dir.resolve("missing.json"), 100)).contains("word index not found"));
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(KerasImdbWordIndex.MAX_FILE_BYTES + 1);   // sparse: costs no disk
        }
        assertTrue(message(() -> KerasImdbWordIndex.load(huge, 100)).contains("far larger than a word index"));
        assertTrue(message(() -> small(2)).contains("numWords must be above 2"));
        assertTrue(message(() -> small(4)).contains("no word of the index has an id below numWords 4"));
    }

    private void assertBad(String json, String fragment) throws IOException {
        Path file = Files.writeString(dir.resolve("index.json"), json);
        String m = message(() -> KerasImdbWordIndex.load(file, 100));
        assertTrue(m.contains(fragment) && m.contains("index.json"), "'" + fragment + "' in: " + m);
    }

    private interface Load { Object run() throws IOException; }

    private static String message(Load load) {
        return assertThrows(IllegalArgumentException.class, load::run).getMessage();
    }

    /** Keras' own file, when the shared test data is there: the ranks its README lists. */
    @Test
    void readsTheRealKerasFile() {
        // Found like the importer tests' files: CI has ../shared and must run this; a clone alone skips it.
        Path real = vectorlstm.importer.SharedKerasModels.file("imdb_word_index.json");
        KerasImdbWordIndex index = KerasImdbWordIndex.load(real, 10_000);
        assertEquals(10_000 - 4, index.wordIndex().size(), "ranks 1..9996 are all there");
        assertArrayEquals(new int[] {1, 4, 22, 92, 2}, index.textToSequence("the film don't zzqqxxzz"), "the 1, film 19, don't 89");
    }

    /** numWords is a bound, not a loop count: 2^31 - 1 with two words is answered at once (it spun 9 s of CPU). */
    @Test
    void aHugeNumWordsCostsNothing() {
        KerasImdbWordIndex index = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
                () -> KerasImdbWordIndex.of(java.util.Map.of("the", 1, "film", 7), Integer.MAX_VALUE));
        assertEquals(List.of("the", "film"), List.copyOf(index.wordIndex().keySet()));
        assertEquals(4, index.wordIndex().get("the"));  // rank + 3, as imdb.load_data encodes
        assertEquals(10, index.wordIndex().get("film"));
    }
}
