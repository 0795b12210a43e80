package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledTextsTest {

    /** 30 negatives then 20 positives, each text naming its label and index. */
    private static LabeledTexts data() {
        List<String> texts = new ArrayList<>();
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            labels[i] = i < 30 ? 0 : 1;
            texts.add((labels[i] == 1 ? "pos" : "neg") + i);
        }
        return new LabeledTexts(texts, labels);
    }

    @Test
    void sampleIsBalancedWithTheOddOneGoingToPositive() {
        LabeledTexts s = data().balancedSample(7, 42);
        assertEquals(7, s.size());
        assertEquals(3, s.count(0));
        assertEquals(4, s.count(1));
        assertEquals(10, data().balancedSample(20, 1).count(1));
        assertEquals(20, data().balancedSample(40, 1).count(1));
    }

    @Test
    void sampleHasNoRepeatsAndKeepsTextsWithTheirLabels() {
        LabeledTexts s = data().balancedSample(40, 7);
        assertEquals(40, new HashSet<>(s.texts()).size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.label(i) == 1 ? "pos" : "neg", s.text(i).substring(0, 3));
        }
    }

    @Test
    void sameSeedSameSampleOtherSeedOtherSample() {
        assertEquals(data().balancedSample(10, 5), data().balancedSample(10, 5));
        assertNotEquals(data().balancedSample(10, 5), data().balancedSample(10, 6));
    }

    @Test
    void sampleIsShuffledNotGroupedByLabel() {
        int[] labels = data().balancedSample(20, 3).labels();
        boolean grouped = true;
        for (int i = 1; i < labels.length; i++) {
            grouped &= labels[i] >= labels[i - 1];
        }
        assertTrue(!grouped, "labels should be interleaved");
    }

    @Test
    void tooLargeSampleIsADataException() {
        // 41 needs 21 positives, but there are only 20.
        DataException e = assertThrows(DataException.class, () -> data().balancedSample(41, 1));
        assertTrue(e.getMessage().contains("20 positive"), e.getMessage());
        assertThrows(DataException.class, () -> data().balancedSample(51, 1));
        assertThrows(IllegalArgumentException.class, () -> data().balancedSample(-1, 1));
        assertEquals(0, data().balancedSample(0, 1).size());
    }

    @Test
    void isImmutableAndValidated() {
        int[] labels = {0, 1};
        LabeledTexts t = new LabeledTexts(List.of("a", "b"), labels);
        labels[0] = 1;
        t.labels()[1] = 0;
        assertArrayEquals(new int[] {0, 1}, t.labels());
        assertThrows(IllegalArgumentException.class, () -> new LabeledTexts(List.of("a"), new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new LabeledTexts(List.of("a"), new int[] {2}));
        assertEquals("LabeledTexts[size=2, negative=1, positive=1]", t.toString());
    }
}
