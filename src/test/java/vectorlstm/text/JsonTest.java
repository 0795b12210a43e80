package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quotesWithEscapesAndAsciiOnly() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\"", Json.quote("a\"b\\c\n\t\u0001"));
        assertEquals("\"caf\\u00e9 \\ud83c\\udfac\"", Json.quote("café 🎬"));
    }

    @Test
    void parsesWhatItQuotes() {
        String nasty = "q\" b\\ n\n cr\r nul\u0000 é 日本 🎬 \u2028 \ud800 lone surrogate";
        assertEquals(nasty, Json.parse(Json.quote(nasty)));
    }

    @Test
    void parsesAllValueKindsInOrder() {
        Object v = Json.parse(" {\"b\": [1, -2, 3.5, 1e3], \"a\": {\"t\": true, \"f\": false, \"n\": null},"
                + " \"s\": \"x\\/y\\u00E9\"} ");
        Map<?, ?> root = (Map<?, ?>) v;
        assertEquals(List.of("b", "a", "s"), List.copyOf(root.keySet()));
        assertEquals(List.of(1L, -2L, 3.5, 1000.0), root.get("b"));
        Map<?, ?> a = (Map<?, ?>) root.get("a");
        assertEquals(true, a.get("t"));
        assertEquals(false, a.get("f"));
        assertNull(a.get("n"));
        assertEquals("x/yé", root.get("s"));
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(Map.of(), Json.parse("{}"));
    }

    @Test
    void rejectsInvalidJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "\"open", "01", "1.", "tru", "[1] x",
                "{\"a\": 1, \"a\": 2}", "\"\\x\"", "\"\\u12\"", "\"raw\ncontrol\"", "1e999", "-1e400")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        // A backslash-u escape takes ASCII hex digits only (as Python's json): full-width and Arabic-Indic digits were read as hex.
        for (String bad : List.of("\"\\u\uFF10\uFF10\uFF17\uFF10\"", "\"\\u\u0664\u0661\u0664\u0661\"", "\"\\u00g1\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("bad hex digit in \\u escape"), e.getMessage());
        }
        assertEquals("pA\u00e9", Json.parse("\"\\u0070\\u0041\\u00E9\""));
    }

    @Test
    void numbersBeyondALongAreDoublesAndBeyondADoubleAreErrors() {
        // An id field no reader here uses must not fail a whole data file: such integers read exactly, as BigInteger.
        assertEquals(new java.math.BigInteger("12345678901234567890"), Json.parse("12345678901234567890"));
        assertEquals(List.of(Long.MIN_VALUE, Long.MAX_VALUE, new java.math.BigInteger("-9223372036854775809")),
                Json.parse("[-9223372036854775808, 9223372036854775807, -9223372036854775809]"));
        assertEquals("[12345678901234567891]", Json.write(Json.parse("[12345678901234567891]")), "written back digit for digit");
        // Beyond a double, or an integer of more than 1,000 digits: an error (the first used to read as
        // Infinity), its message short however long the literal.
        String huge = "1" + "0".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"label\": " + huge + "}"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("integer out of range") && e.getMessage().contains("(100001 characters)")
                && e.getMessage().length() < 300, e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1" + "0".repeat(400) + ".5]"));
        org.junit.jupiter.api.Assertions.assertTrue(d.getMessage().contains("number out of range"), d.getMessage());
        // Too small for a double is out of range too (it read as 0.0: a label 1e-400 became "0"); zeros and subnormals are numbers.
        for (String tiny : new String[] {"1e-400", "-2.5E-999", "1.5e-2147483648", "0.0000001e-330"}) {
            IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Json.parse("[" + tiny + "]"), tiny);
            org.junit.jupiter.api.Assertions.assertTrue(t.getMessage().contains("number out of range"), t.getMessage());
        }
        assertEquals(List.of(0.0, -0.0, 0.0, 4.9e-324), Json.parse("[0.0, -0.0, 0e-999, 4.9e-324]"));
    }

    @Test
    void quoteShortCutsLongValues() {
        assertEquals("\"abc\"", Json.quoteShort("abc", 3));
        assertEquals("\"ab\"... (3 characters)", Json.quoteShort("abc", 2));
        assertEquals("\"a\"... (3 characters)", Json.quoteShort("a\ud83c\udfac", 2), "never half a surrogate pair");
    }

    @Test
    void nestingDeeperThanTheLimitIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
        String ok = "{\"a\":".repeat(Json.MAX_DEPTH - 1) + "[]" + "}".repeat(Json.MAX_DEPTH - 1);
        org.junit.jupiter.api.Assertions.assertEquals(ok, Json.write(Json.parse(ok)), "the limit itself is fine, and writing reads back the same");
    }
}
