package vectorlstm.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vectorlstm.data.DataException;
import vectorlstm.data.LabeledTexts;

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

    @Test
    void imdbSplitKeepsItsNumbering() {
        TextDataset d = TextDataset.of(new LabeledTexts(List.of("bad", "good", "awful"), new int[] {0, 1, 0}));
        assertEquals(List.of("neg", "pos"), d.labelMap().labels());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertEquals("good", d.text(1));
    }

    @Test
    void splitTakesTheFlooredFractionForValidation() {
        TextDataset.Split s = threeClasses(10).split(0.25, 1);
        assertEquals(8, s.train().size());
        assertEquals(2, s.validation().size());
        assertEquals(s.train().labelMap(), s.validation().labelMap());
        TextDataset.Split most = threeClasses(10).split(0.95, 1);
        assertEquals(1, most.train().size());
        assertEquals(9, most.validation().size());
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
        for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN, 0.05}) {
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
