package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
}
