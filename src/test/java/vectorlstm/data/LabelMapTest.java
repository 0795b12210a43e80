package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMapTest {

    @Test
    void labelsAreDistinctAndSortedLikePython() {
        LabelMap map = LabelMap.fromLabels(List.of("pos", "neg", "pos", "neg"));
        assertEquals(List.of("neg", "pos"), map.labels());
        assertEquals(0, map.id("neg"));
        assertEquals(1, map.id("pos"));
        assertEquals("pos", map.label(1));
        assertTrue(map.isBinary());
        assertEquals(List.of("0", "1"), LabelMap.fromLabels(List.of("1", "0")).labels());
        // Python's sorted(): upper case before lower case, "10" before "2".
        assertEquals(List.of("10", "2", "B", "a"), LabelMap.fromLabels(List.of("a", "2", "B", "10")).labels());
    }

    @Test
    void sortsByCodePointNotByUtf16Unit() {
        String emoji = "\uD83D\uDE00"; // U+1F600, stored as a surrogate pair that String.compareTo puts first
        assertEquals(List.of("\uFFFD", emoji), LabelMap.fromLabels(List.of(emoji, "\uFFFD")).labels());
    }

    @Test
    void threeLabelsAreNotBinary() {
        LabelMap map = LabelMap.fromLabels(List.of("sports", "business", "world"));
        assertEquals(3, map.size());
        assertFalse(map.isBinary());
        assertEquals(List.of("business", "sports", "world"), map.labels());
        assertEquals(2, map.id("world"));
    }

    @Test
    void unknownLabelIsNamed() {
        LabelMap map = LabelMap.fromLabels(List.of("neg", "pos"));
        DataException e = assertThrows(DataException.class, () -> map.id("neutral"));
        assertTrue(e.getMessage().contains("\"neutral\""), e.getMessage());
        assertTrue(e.getMessage().contains("[neg, pos]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> map.label(2));
    }

    @Test
    void noLabelsOrNullLabelIsAnError() {
        assertThrows(DataException.class, () -> LabelMap.fromLabels(List.of()));
        assertThrows(DataException.class, () -> LabelMap.fromLabels(Arrays.asList("a", null)));
    }

    @Test
    void jsonRoundTripKeepsAwkwardLabels() {
        LabelMap map = LabelMap.fromLabels(List.of("say \"hi\"", "back\\slash", "two\nlines", "tab\there",
                "ünïcödé", "\uD83D\uDE00", ""));
        String json = map.toJson();
        assertTrue(json.chars().allMatch(c -> c < 0x7f), "saved as ASCII: " + json);
        LabelMap back = LabelMap.fromJson(json);
        assertEquals(map, back);
        assertEquals(map.labels(), back.labels());
    }

    @Test
    void jsonKeepsTheStoredOrderEvenIfUnsorted() {
        LabelMap map = LabelMap.fromJson("{\"format\": \"vector-lstm/labels\", \"version\": 1, \"labels\": [\"pos\", \"neg\"]}");
        assertEquals(0, map.id("pos"));
        assertEquals(1, map.id("neg"));
    }

    @Test
    void badJsonIsADataException() {
        assertThrows(DataException.class, () -> LabelMap.fromJson("{\"labels\": [\"a\""));
        assertThrows(DataException.class, () -> LabelMap.fromJson("[\"a\", \"b\"]"));
        assertThrows(DataException.class, () -> LabelMap.fromJson(
                "{\"format\": \"vector-lstm/labels\", \"version\": 2, \"labels\": [\"a\"]}"));
        assertThrows(DataException.class, () -> LabelMap.fromJson(
                "{\"format\": \"vector-lstm/labels\", \"version\": 1, \"labels\": [\"a\", 1]}"));
        DataException duplicate = assertThrows(DataException.class, () -> LabelMap.fromJson(
                "{\"format\": \"vector-lstm/labels\", \"version\": 1, \"labels\": [\"a\", \"a\"]}"));
        assertTrue(duplicate.getMessage().contains("twice"), duplicate.getMessage());
    }
}
