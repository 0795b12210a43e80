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
     * Labels are compared as text, so "1" and "1.0" in one CSV column made two classes of one (a
     * JSON-lines file's numbers 1 and 1.0 are one label already): refused, naming both. Only whole
     * numbers written plainly, with or without zeros after a point, count as numbers here: codes
     * such as "250.1" and "250.10" (ICD) or "007" and "7" (zip codes, sections) are different
     * labels, as they are to Keras and pandas' string columns, and were refused as one number.
     */
    private void requireOneSpellingPerNumber() {
        Map<java.math.BigInteger, String> byValue = new HashMap<>();
        for (String label : labelsInFirstSeenOrder) {
            if (!WHOLE_NUMBER.matcher(label).matches()) continue;
            String digits = label.contains(".") ? label.substring(0, label.indexOf('.')) : label;
            String other = byValue.putIfAbsent(new java.math.BigInteger(digits), label);  // "+1" is 1, "-0" is 0
            if (other != null) {
                throw new DataException("labels " + vectorlstm.text.Json.quote(other) + " and " + vectorlstm.text.Json.quote(label)
                        + " are the same number written two ways: they would be two classes; write every label of that class one way");
            }
        }
    }

    /**
     * "café" composed (NFC, one code point for é) and decomposed (NFD, e + a combining accent, as
     * macOS writes file names, so class folders copied from a Mac) look the same and compared as two
     * classes: refused, naming both.
     */
    private void requireOneUnicodeForm() {
        Map<String, String> byComposed = new HashMap<>();
        for (String label : labelsInFirstSeenOrder) {
            String other = byComposed.putIfAbsent(java.text.Normalizer.normalize(label, java.text.Normalizer.Form.NFC), label);
            if (other != null) {
                throw new DataException("labels " + vectorlstm.text.Json.quote(other) + " and " + vectorlstm.text.Json.quote(label)
                        + " are the same text in two Unicode forms (composed and decomposed accents): they would be two classes;"
                        + " write every label of that class one way (NFC)");
            }
        }
    }

    /** A whole number as a program writes one: a sign or none, no leading zeros (those are codes), then ".", ".0", ".00", ... or nothing. */
    private static final java.util.regex.Pattern WHOLE_NUMBER = java.util.regex.Pattern.compile("[+-]?(0|[1-9][0-9]*)(\\.0*)?");

    /**
     * Why a (non-blank) label cannot name a class, or null. Labels are compared exactly, so "pos "
     * or "neg\0" next to "pos" and "neg" silently made a two-class task a four-class one; so did
     * "pos" followed by a no-break space (U+00A0), which {@link String#strip} keeps, or by an
     * invisible format character such as a zero-width space (U+200B).
     */
    static String labelProblem(String label) {
        if (!label.isEmpty() && (invisible(label.codePointAt(0)) || invisible(label.codePointBefore(label.length())))) {
            int cp = invisible(label.codePointAt(0)) ? label.codePointAt(0) : label.codePointBefore(label.length());
            return "label " + shown(label) + " has " + String.format(java.util.Locale.ROOT, "U+%04X", cp)
                    + " (a space or an invisible character) at its " + (invisible(label.codePointAt(0)) ? "start" : "end")
                    + " (it would be a class apart from its stripped form; strip it in the file)";
        }
        if (label.chars().anyMatch(Character::isISOControl)) return "label " + shown(label) + " holds a control character";
        return null;
    }

    /** Labels longer than this are shown cut, with a hint: a label column that holds texts is most likely the text column. */
    private static final int SHOWN_CHARS = 60;

    /** The label as a message shows it: quoted, and a long one cut with its length and a hint (a swapped column printed a 2,000-character review). */
    static String shown(String label) {
        if (label.length() <= SHOWN_CHARS + 20) return vectorlstm.text.Json.quote(label);
        return vectorlstm.text.Json.quoteShort(label, SHOWN_CHARS, "is the label column the text column?");
    }

    /** Whitespace of any kind (Unicode's space separators too) or an invisible format character (zero-width space, BOM, bidi marks). */
    private static boolean invisible(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.getType(cp) == Character.FORMAT;
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
        requireOneUnicodeForm();
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
