package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlLineBreaksTest {
    @Test
    void everyFormOfBrBecomesASpaceAndNoWordBrAppears() {
        assertEquals("great  film", HtmlLineBreaks.toSpaces("great<br /><br />film"));
        assertEquals("a b c d", HtmlLineBreaks.toSpaces("a<br>b<BR/>c<br   />d"));
        assertEquals("x < y", HtmlLineBreaks.toSpaces("x < y"));
        Tokenizer t = new Tokenizer();
        List<String> texts = HtmlLineBreaks.toSpaces(List.of("Loved it!<br /><br />Don't miss it."));
        t.fitOnTexts(texts);
        assertEquals(List.of("it", "loved", "don't", "miss"), List.copyOf(t.wordIndex().keySet()));
        assertArrayEquals(new int[] {2, 1, 3, 4, 1}, t.textsToSequences(texts)[0]);
    }

    /** The hand-written scan against the regex it replaces, on random strings made of the pattern's pieces. */
    @Test
    void agreesWithTheRegexOnRandomStrings() {
        Pattern regex = Pattern.compile("<br\\s*/?>", Pattern.CASE_INSENSITIVE);
        String alphabet = "<<<bBrR  \t\n\u000B\f\r//>>xé\u00a0\u2028";
        Random r = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(16); i > 0; i--) s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            String text = s.toString();
            assertEquals(regex.matcher(text).replaceAll(" "), HtmlLineBreaks.toSpaces(text), text);
        }
    }
}
