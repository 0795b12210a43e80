package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    /** Known counts: truth a a a b b c, predicted a a b b c c. */
    @Test
    void metricsFollowTheCounts() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        int[][] pairs = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}};
        for (int[] p : pairs) m.add(p[0], p[1]);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(1.0, m.precision(0), 1e-12);
        assertEquals(2.0 / 3, m.recall(0), 1e-12);
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(0.5, m.recall(1), 1e-12);
        assertEquals(0.5, m.precision(2), 1e-12);
        assertEquals(1.0, m.recall(2), 1e-12);
        assertEquals(2 * 0.5 * 1.0 / 1.5, m.f1(2), 1e-12);
        assertEquals(2, m.count(0, 0));
        assertEquals(0, m.count(2, 0));
        String report = m.report(List.of("a", "b", "c"));
        assertTrue(report.startsWith("accuracy: 0.6667\n"), report);
        assertTrue(report.contains("confusion matrix (rows: true class, columns: predicted)"), report);
        assertTrue(report.contains("\na                 2         1         0\n"), report);
    }

    /**
     * A model of 20,000 classes (train builds one): the counts held a dense 3.2 GB matrix, and the
     * report's matrix would have been a string longer than Java's; now the per-class table only.
     */
    @Test
    void manyClassesKeepTheTableAndLeaveTheMatrixOut() {
        int classes = 20_000;
        ConfusionMatrix m = new ConfusionMatrix(classes);
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) labels.add("c" + c);
        for (int c = 0; c < classes; c += 7) m.add(c, c);
        m.add(1, 2);
        String report = m.report(labels);
        assertEquals(1 + 1 + classes + 1, report.split("\n").length, "accuracy, header, a row per class, the note");
        assertTrue(report.endsWith("confusion matrix: left out for 20000 classes (it is printed up to 30)\n"), report.substring(report.length() - 200));
        assertEquals(1, m.count(1, 2));
        assertEquals(1.0, m.recall(7), 1e-12);
    }

    @Test
    void classesOutsideTheMatrixAreRefused() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        assertThrows(IllegalArgumentException.class, () -> m.add(2, 0));
        assertThrows(IllegalArgumentException.class, () -> m.add(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
    }
}
