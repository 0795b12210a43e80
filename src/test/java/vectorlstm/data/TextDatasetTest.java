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

class TextDatasetTest {

    /** n examples cycling through three classes, each text naming its class and index. */
    private static TextDataset threeClasses(int n) {
        LabelMap map = LabelMap.fromLabels(List.of("a", "b", "c"));
        List<String> texts = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            texts.add(map.label(labels[i]) + i);
        }
        return new TextDataset(texts, labels, map);
    }

    /** 30 negatives then 20 positives, each text naming its label and index. */
    private static TextDataset negThenPos() {
        List<String> texts = new ArrayList<>();
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            labels[i] = i < 30 ? 0 : 1;
            texts.add((labels[i] == 1 ? "pos" : "neg") + i);
        }
        return new TextDataset(texts, labels, LabelMap.fromLabels(List.of("neg", "pos")));
    }

    @Test
    void splitOrderIsPinned() {
        // The order the seed has always given (Shuffle.shuffle): changing it changes every validation split.
        TextDataset.Split s = threeClasses(10).split(0.3, 4);
        assertEquals(List.of("c5", "b4", "b1", "a6", "a0", "a3", "a9"), s.train().texts());
        assertEquals(List.of("c8", "b7", "c2"), s.validation().texts());
    }

    @Test
    void balancedSampleOrderIsPinned() {
        // The samples the seeds have always drawn (the IMDB demo's --limit, the IMDB slice test).
        assertEquals(List.of("neg12", "neg8", "neg17", "pos49", "pos45", "pos35", "neg20", "pos38", "pos40", "neg0"),
                negThenPos().balancedSample(10, 5).texts());
        assertEquals(List.of("pos34", "neg22", "pos39", "pos33", "neg20", "neg10", "pos37"),
                negThenPos().balancedSample(7, 42).texts());
    }

    @Test
    void balancedSampleGivesTheRemainderToTheLastClasses() {
        TextDataset s = negThenPos().balancedSample(7, 42);
        assertEquals(7, s.size());
        assertEquals(3, s.count(0));
        assertEquals(4, s.count(1));
        assertEquals(10, negThenPos().balancedSample(20, 1).count(1));
        assertEquals(20, negThenPos().balancedSample(40, 1).count(1));
        TextDataset three = threeClasses(30).balancedSample(8, 2);
        assertArrayEquals(new int[] {2, 3, 3}, new int[] {three.count(0), three.count(1), three.count(2)});
        assertEquals(three.labelMap(), threeClasses(30).labelMap());
    }

    @Test
    void balancedSampleHasNoRepeatsKeepsTextsWithTheirLabelsAndIsShuffled() {
        TextDataset s = negThenPos().balancedSample(40, 7);
        assertEquals(40, new HashSet<>(s.texts()).size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.labelMap().label(s.label(i)), s.text(i).substring(0, 3));
        }
        int[] labels = negThenPos().balancedSample(20, 3).labels();
        boolean grouped = true;
        for (int i = 1; i < labels.length; i++) {
            grouped &= labels[i] >= labels[i - 1];
        }
        assertTrue(!grouped, "labels should be interleaved");
        assertNotEquals(negThenPos().balancedSample(10, 5), negThenPos().balancedSample(10, 6));
    }

    @Test
    void tooLargeBalancedSampleIsADataException() {
        // 41 needs 21 positives, but there are only 20.
        DataException e = assertThrows(DataException.class, () -> negThenPos().balancedSample(41, 1));
        assertTrue(e.getMessage().contains("needs 21 of \"pos\", but there are only 20"), e.getMessage());
        assertThrows(DataException.class, () -> negThenPos().balancedSample(51, 1));
        assertThrows(IllegalArgumentException.class, () -> negThenPos().balancedSample(-1, 1));
        assertEquals(0, negThenPos().balancedSample(0, 1).size());
    }

    @Test
    void splitHoldsOutAsManyAsKerasValidationSplit() {
        // Was 8 and 2 (the held-out part rounded down), where Keras and fit's validationSplit train 7 and validate 3.
        TextDataset.Split s = threeClasses(10).split(0.25, 1);
        assertEquals(7, s.train().size());
        assertEquals(3, s.validation().size());
        assertEquals(s.train().labelMap(), s.validation().labelMap());
        TextDataset.Split most = threeClasses(10).split(0.85, 1);  // 0.9 trains none: 10 * (1 - 0.9) is 0.99999..., as in Keras
        assertEquals(1, most.train().size());
        assertEquals(9, most.validation().size());
        TextDataset.Split least = threeClasses(10).split(0.05, 1);  // was refused: no text held out
        assertEquals(9, least.train().size());
        assertEquals(1, least.validation().size());
    }

    @Test
    void splitIsSeededAndLosesNothing() {
        TextDataset d = threeClasses(30);
        assertEquals(d.split(0.2, 7), d.split(0.2, 7));
        assertNotEquals(d.split(0.2, 7), d.split(0.2, 8));
        TextDataset.Split s = d.split(0.2, 7);
        List<String> all = new ArrayList<>(s.train().texts());
        all.addAll(s.validation().texts());
        all.sort(null);
        List<String> expected = new ArrayList<>(d.texts());
        expected.sort(null);
        assertEquals(expected, all);
        for (TextDataset part : List.of(s.train(), s.validation())) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(part.text(i).startsWith(part.labelMap().label(part.label(i))), "text kept with its label");
            }
        }
    }

    @Test
    void splitShufflesRatherThanCuttingTheSortedTail() {
        // Sorted by class: an unshuffled cut would validate on class "b" only.
        LabelMap map = LabelMap.fromLabels(List.of("a", "b"));
        List<String> texts = new ArrayList<>();
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            labels[i] = i < 20 ? 0 : 1;
            texts.add("t" + i);
        }
        TextDataset.Split s = new TextDataset(texts, labels, map).split(0.25, 3);
        assertTrue(s.validation().count(0) > 0 && s.validation().count(1) > 0, s.validation().toString());
    }

    @Test
    void badFractionsAreRejected() {
        TextDataset d = threeClasses(10);
        for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN, 0.95}) {
            assertThrows(DataException.class, () -> d.split(bad, 1), "fraction " + bad);
        }
        DataException tooFew = assertThrows(DataException.class, () -> threeClasses(1).split(0.5, 1));
        assertTrue(tooFew.getMessage().contains("at least one"), tooFew.getMessage());
    }

    @Test
    void relabelMapsThroughLabelStrings() {
        TextDataset onlyC = new TextDataset(List.of("x", "y"), new int[] {0, 0}, LabelMap.fromLabels(List.of("c")));
        TextDataset mapped = onlyC.relabel(LabelMap.fromLabels(List.of("a", "b", "c")));
        assertArrayEquals(new int[] {2, 2}, mapped.labels());
        assertThrows(DataException.class, () -> onlyC.relabel(LabelMap.fromLabels(List.of("a", "b"))));
    }

    @Test
    void rejectsMismatchedOrOutOfRangeLabels() {
        LabelMap map = LabelMap.fromLabels(List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> new TextDataset(List.of("x"), new int[] {2}, map));
        assertThrows(IllegalArgumentException.class, () -> new TextDataset(List.of("x"), new int[] {0, 1}, map));
    }

    @Test
    void labelsAreCopiedAndToStringCountsClasses() {
        int[] labels = {0, 1, 2};
        TextDataset d = new TextDataset(List.of("x", "y", "z"), labels, LabelMap.fromLabels(List.of("a", "b", "c")));
        labels[0] = 2;
        d.labels()[1] = 0;
        assertArrayEquals(new int[] {0, 1, 2}, d.labels());
        assertEquals("TextDataset[size=3, a=1, b=1, c=1]", d.toString());
    }
}
