package vectorlstm.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers (text, label string) pairs as a file streams by and numbers the labels at the end.
 *
 * <p>The final ids depend on every label in the file, so rows are kept under first-seen ids and
 * renumbered once; this also keeps one copy of each label string rather than one per row.
 */
final class LabelCollector {
    private final List<String> texts = new ArrayList<>();
    private final Map<String, Integer> firstSeen = new HashMap<>();
    private final List<String> labelsInFirstSeenOrder = new ArrayList<>();
    private int[] ids = new int[1024];

    /**
     * Why a (non-blank) label cannot name a class, or null. Labels are compared exactly, so "pos "
     * or "neg\0" next to "pos" and "neg" silently made a two-class task a four-class one.
     */
    /**
     * Labels are compared as text, so "1" and "1.0" in one CSV column made two classes of one (a
     * JSON-lines file's numbers 1 and 1.0 are one label already): refused, naming both.
     */
    private void requireOneSpellingPerNumber() {
        Map<Double, String> byValue = new HashMap<>();
        for (String label : labelsInFirstSeenOrder) {
            double v;
            try {
                v = Double.parseDouble(label);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!Double.isFinite(v) || label.chars().anyMatch(Character::isLetter)) continue;  // "NaN", "1e3f", "0x1p3": words, not numbers written two ways
            String other = byValue.putIfAbsent(v == 0 ? 0.0 : v, label);
            if (other != null) {
                throw new DataException("labels " + vectorlstm.text.Json.quote(other) + " and " + vectorlstm.text.Json.quote(label)
                        + " are the same number written two ways: they would be two classes; write every label of that class one way");
            }
        }
    }

    static String labelProblem(String label) {
        if (!label.equals(label.strip())) return "label " + vectorlstm.text.Json.quote(label) + " has spaces around it (it would be a class apart from its stripped form; strip it in the file)";
        if (label.chars().anyMatch(Character::isISOControl)) return "label " + vectorlstm.text.Json.quote(label) + " holds a control character";
        return null;
    }

    void add(String text, String label) {
        Integer id = firstSeen.get(label);
        if (id == null) {
            id = labelsInFirstSeenOrder.size();
            firstSeen.put(label, id);
            labelsInFirstSeenOrder.add(label);
        }
        if (texts.size() == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[texts.size()] = id;
        texts.add(text);
    }

    int size() {
        return texts.size();
    }

    TextDataset build() {
        requireOneSpellingPerNumber();
        LabelMap map = LabelMap.fromLabels(labelsInFirstSeenOrder);
        int[] finalId = new int[labelsInFirstSeenOrder.size()];
        for (int i = 0; i < finalId.length; i++) {
            finalId[i] = map.id(labelsInFirstSeenOrder.get(i));
        }
        int[] labels = new int[texts.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = finalId[ids[i]];
        }
        return new TextDataset(texts, labels, map);
    }
}
