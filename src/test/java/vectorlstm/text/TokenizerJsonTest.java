package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerJsonTest {

    private static void assertSameTokenizer(Tokenizer expected, Tokenizer actual, List<String> probe) {
        assertEquals(expected.numWords(), actual.numWords());
        assertEquals(expected.filters(), actual.filters());
        assertEquals(expected.lower(), actual.lower());
        assertEquals(expected.split(), actual.split());
        assertEquals(expected.oovToken(), actual.oovToken());
        assertEquals(expected.documentCount(), actual.documentCount());
        assertEquals(List.copyOf(expected.wordCounts().entrySet()), List.copyOf(actual.wordCounts().entrySet()));
        assertEquals(List.copyOf(expected.wordIndex().entrySet()), List.copyOf(actual.wordIndex().entrySet()));
        assertArrayEquals(expected.textsToSequences(probe), actual.textsToSequences(probe));
    }

    @Test
    void roundTripsDefaultsWithTiesInOrder() {
        List<String> texts = List.of("b a c", "c b d", "e");
        Tokenizer t = new Tokenizer();
        t.fitOnTexts(texts);
        assertSameTokenizer(t, Tokenizer.fromJson(t.toJson()), texts);
    }

    @Test
    void roundTripsAwkwardWordsAndSettings() {
        // No filters, so quotes, backslashes, control characters and emoji all survive as words.
        List<String> texts = List.of("a\"b back\\slash \u0001ctl é 🎬 日本 \u2028 tab\there", "é é 🎬");
        Tokenizer t = Tokenizer.builder().numWords(5).filters("").lower(false).split(" ").oovToken("<ünk>").build();
        t.fitOnTexts(texts);
        String json = t.toJson();
        assertTrue(json.chars().allMatch(c -> c < 0x7f), "saved JSON is pure ASCII");
        assertSameTokenizer(t, Tokenizer.fromJson(json), texts);
    }

    @Test
    void roundTripsAnUnfittedTokenizer() {
        Tokenizer t = Tokenizer.builder().oovToken("OOV").build();
        Tokenizer back = Tokenizer.fromJson(t.toJson());
        assertSameTokenizer(t, back, List.of("anything"));
        assertArrayEquals(new int[] {1}, back.textToSequence("anything"));
    }

    @Test
    void rejectsWhatIsNotASavedTokenizer() {
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson("not json"));
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson("[]"));
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson("{\"format\": \"other\"}"));
        String good = new Tokenizer().toJson();
        assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.fromJson(good.replace("\"version\":1", "\"version\":99")));
        assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.fromJson(good.replace("\"wordCounts\":[]", "\"wordCounts\":[[\"a\", 1], [\"a\", 2]]")));
        assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.fromJson(good.replace("\"wordCounts\":[]", "\"wordCounts\":[[\"a\"]]")));
    }
}
