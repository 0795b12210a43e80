package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected values follow from the rules of Keras' Tokenizer (keras_preprocessing/text.py):
 * counts in first-seen order, a stable sort by count descending, ids from 1, oov first.
 */
class TokenizerTest {
    private static final List<String> CATS = List.of("The cat sat on the mat.", "The dog sat on the log!");

    private static Tokenizer fitted(Tokenizer t, List<String> texts) {
        t.fitOnTexts(texts);
        return t;
    }

    @Test
    void ranksByCountKeepingFirstSeenOrderForTies() {
        Tokenizer t = fitted(new Tokenizer(), CATS);
        // the:4, then sat and on (2 each, sat seen first), then the ones in first-seen order.
        assertEquals(List.of("the", "sat", "on", "cat", "mat", "dog", "log"), List.copyOf(t.wordIndex().keySet()));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), List.copyOf(t.wordIndex().values()));
        assertArrayEquals(new int[][] {{1, 4, 2, 3, 1, 5}, {1, 6, 2, 3, 1, 7}}, t.textsToSequences(CATS));
    }

    @Test
    void wordCountsKeepFirstSeenOrder() {
        Tokenizer t = fitted(new Tokenizer(), List.of("x y z y z z w"));
        assertEquals(List.of("x", "y", "z", "w"), List.copyOf(t.wordCounts().keySet()));
        assertEquals(List.of(1, 2, 3, 1), List.copyOf(t.wordCounts().values()));
        assertEquals(Map.of("z", 1, "y", 2, "x", 3, "w", 4), t.wordIndex());
    }

    @Test
    void numWordsDropsIdsAtOrAboveTheLimit() {
        Tokenizer t = fitted(Tokenizer.builder().numWords(4).build(), CATS);
        assertEquals(7, t.wordIndex().size(), "the index keeps every word, as in Keras");
        assertArrayEquals(new int[][] {{1, 2, 3, 1}, {1, 2, 3, 1}}, t.textsToSequences(CATS));
        assertEquals(4, t.vocabularySize());
    }

    @Test
    void oovTokenTakesIdOneAndReplacesCutAndUnknownWords() {
        Tokenizer t = fitted(Tokenizer.builder().numWords(4).oovToken("<OOV>").build(), CATS);
        assertEquals(1, t.wordIndex().get("<OOV>"));
        assertEquals(2, t.wordIndex().get("the"));
        assertEquals(8, t.wordIndex().get("log"));
        assertArrayEquals(new int[][] {{2, 1, 3, 1, 2, 1}, {2, 1, 3, 1, 2, 1}}, t.textsToSequences(CATS));
        assertArrayEquals(new int[] {1, 2, 1}, t.textToSequence("zebra the unicorn"));
        // Was: the oov id counted as a known word (known_words, explain's "read as the unknown-word id").
        assertFalse(t.isWord(1), "the oov id stands for a word the tokenizer did not know");
        assertTrue(t.isWord(2));
        assertFalse(t.isWord(0));
    }

    @Test
    void unknownWordsAreDroppedWithoutOov() {
        Tokenizer t = fitted(new Tokenizer(), CATS);
        assertArrayEquals(new int[0], t.textToSequence("zebra unicorn"));
        assertArrayEquals(new int[][] {{}, {}}, t.textsToSequences(List.of("zebra unicorn", "")));
    }

    @Test
    void emptyTextsGiveNoWordsButCountAsDocuments() {
        Tokenizer t = fitted(new Tokenizer(), List.of("", "  ", "?!"));
        assertEquals(Map.of(), t.wordIndex());
        assertEquals(3, t.documentCount());
        assertArrayEquals(new int[0], t.textToSequence(""));
        assertEquals(1, t.vocabularySize());
    }

    @Test
    void defaultFiltersRemovePunctuationButKeepApostrophes() {
        Tokenizer t = new Tokenizer();
        assertEquals(List.of("don't", "stop", "it's", "really", "great"),
                t.textToWordSequence("Don't stop -- it's (really) GREAT!!"));
        assertEquals(List.of("tab", "here", "new", "line"), t.textToWordSequence("Tab\there\nnew line"));
    }

    @Test
    void customFiltersLowerAndSplit() {
        assertEquals(List.of("hello,world!"),
                Tokenizer.builder().filters("").build().textToWordSequence("Hello,World!"));
        assertEquals(List.of("The", "the"), Tokenizer.builder().lower(false).build().textToWordSequence("The the"));
        assertEquals(List.of("x", "y", "z w"), Tokenizer.builder().split("|").build().textToWordSequence("x,y|z w"));
        // Python's str.split("::") works left to right without overlap: "a::b:::c" -> a, b, :c
        assertEquals(List.of("a", "b", ":c"),
                Tokenizer.builder().filters("").split("::").build().textToWordSequence("a::b:::c"));
        // With a multi-character split, filter characters are replaced by it before splitting.
        assertEquals(List.of("x", "y", "z"), Tokenizer.builder().split("--").build().textToWordSequence("x,y--z"));
    }

    @Test
    void unicodeIsLowercasedAndKept() {
        Tokenizer t = fitted(new Tokenizer(), List.of("Café CAFÉ naïve — 日本語 🎬! ΟΔΟΣ"));
        // Final sigma lowercases to ς, as Python's str.lower() does.
        assertEquals(List.of("café", "naïve", "—", "日本語", "🎬", "οδος"), List.copyOf(t.wordIndex().keySet()));
        assertEquals(2, t.wordCounts().get("café"));
        assertEquals("\u03bf\u03b4\u03bf\u03c2", t.textToWordSequence("ΟΔΟΣ").getFirst());
        assertArrayEquals(new int[] {5, 1}, t.textToSequence("🎬 cafÉ"));
    }

    @Test
    void capitalSigmaLowercasesAsPythonDoes() {
        // Python chooses ς from the nearest characters that are not case-ignorable; Java's
        // toLowerCase from word boundaries ("ΚΑΛΟΣ-" gave "καλοσ", another word than "καλος").
        Tokenizer t = new Tokenizer();
        assertEquals(List.of("καλος", "κακος"), t.textToWordSequence("ΚΑΛΟΣ-ΚΑΚΟΣ"));
        assertEquals(List.of("ας", "β"), t.textToWordSequence("ΑΣ_Β"));
        assertEquals(List.of("α1σ"), t.textToWordSequence("Α1Σ"));       // a digit before: not final
        assertEquals(List.of("ας1β"), t.textToWordSequence("ΑΣ1Β"));     // a digit after: final
        assertEquals(List.of("ασ", "β"), t.textToWordSequence("ΑΣ.Β"));  // '.' is case-ignorable: Β follows
        assertEquals(List.of("σ", "ας\u0301", "σ'α"), t.textToWordSequence("Σ ΑΣ\u0301 Σ'Α"));
    }

    /** Misuse is refused by name, as fitOnTexts always did, not with a NullPointerException from inside. */
    @Test
    void nullsAreRefusedByName() {
        Tokenizer t = fitted(new Tokenizer(), CATS);
        assertEquals("text 1 is null", assertThrows(IllegalArgumentException.class, () -> t.textsToSequences(java.util.Arrays.asList("a", null))).getMessage());
        assertEquals("the texts are null", assertThrows(IllegalArgumentException.class, () -> t.textsToSequences(null)).getMessage());
        assertEquals("the text is null", assertThrows(IllegalArgumentException.class, () -> t.textToSequence(null)).getMessage());
        assertEquals("the text is null", assertThrows(IllegalArgumentException.class, () -> t.textToWordSequence(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.builder().filters(null).build());
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.builder().split(null).build());
        assertArrayEquals(new int[0][], t.textsToSequences(List.of()));
    }

    @Test
    void supplementaryCharactersCanBeFilters() {
        Tokenizer t = Tokenizer.builder().filters("🎬").build();
        assertEquals(List.of("a", "b"), t.textToWordSequence("a🎬b"));
    }

    @Test
    void repeatedFitsAccumulateCounts() {
        Tokenizer t = new Tokenizer();
        t.fitOnTexts(List.of("b a"));
        assertEquals(Map.of("b", 1, "a", 2), t.wordIndex());
        t.fitOnTexts(List.of("a"));
        assertEquals(List.of("b", "a"), List.copyOf(t.wordCounts().keySet()));
        assertEquals(List.of("a", "b"), List.copyOf(t.wordIndex().keySet()));
        assertEquals(2, t.documentCount());
    }

    @Test
    void oovTokenEqualToAWordBehavesLikeKeras() {
        // Python's dict(zip(["the", "the", "cat"], [1, 2, 3])) keeps "the" first with the later id 2.
        Tokenizer t = fitted(Tokenizer.builder().oovToken("the").build(), List.of("the cat the"));
        assertEquals(List.of("the", "cat"), List.copyOf(t.wordIndex().keySet()));
        assertEquals(Map.of("the", 2, "cat", 3), t.wordIndex());
        assertArrayEquals(new int[] {2, 2, 3}, t.textToSequence("dog the cat"));
    }

    @Test
    void mapsAreUnmodifiable() {
        Tokenizer t = fitted(new Tokenizer(), CATS);
        assertThrows(UnsupportedOperationException.class, () -> t.wordIndex().put("x", 99));
        assertThrows(UnsupportedOperationException.class, () -> t.wordCounts().clear());
    }

    @Test
    void rejectsBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.builder().numWords(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.builder().split("").build());
    }

    @Test
    void zeroNumWordsMeansNoLimitAsInKeras() {
        Tokenizer t = fitted(Tokenizer.builder().numWords(0).build(), CATS);
        assertArrayEquals(new int[] {1, 4, 2, 3, 1, 5}, t.textToSequence(CATS.getFirst()));
        assertEquals(8, t.vocabularySize());
    }

    @Test
    void aTrimmedTokenizerGivesTheSameIdsForEveryText() {
        java.util.Random r = new java.util.Random(5);
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < 20; w++) b.append(" w").append((int) Math.abs(r.nextGaussian() * 60));
            texts.add(b.toString());
        }
        for (String oov : new String[] {null, "<OOV>"}) {
            Tokenizer full = Tokenizer.builder().numWords(40).oovToken(oov).build();
            full.fitOnTexts(texts);
            Tokenizer trimmed = full.trimmedToVocabulary();
            assertTrue(trimmed.wordCounts().size() < full.wordCounts().size() / 2, "the rare words are gone");
            List<String> probe = new java.util.ArrayList<>(texts);
            probe.add("w1 unseen w200 w3");
            int[][] a = full.textsToSequences(probe), b = trimmed.textsToSequences(probe);
            for (int i = 0; i < a.length; i++) org.junit.jupiter.api.Assertions.assertArrayEquals(a[i], b[i], "text " + i + " oov " + oov);
        }
        Tokenizer unlimited = new Tokenizer();
        unlimited.fitOnTexts(texts);
        org.junit.jupiter.api.Assertions.assertSame(unlimited, unlimited.trimmedToVocabulary(), "no numWords: nothing to trim");
    }

    /** Each filter character in a text becomes a copy of split: a split of thousands of characters is refused up front. */
    @Test
    void absurdSplitAndFilterStringsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tokenizer(null, "!", true, "x".repeat(65), null));
        assertTrue(e.getMessage().contains("longer than a tokenizer uses"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tokenizer(null, "!".repeat(4097), true, " ", null));
        new Tokenizer(null, "!", true, "x".repeat(64), null);  // the limit itself is fine
    }
}
