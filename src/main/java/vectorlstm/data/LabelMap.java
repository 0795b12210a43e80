package vectorlstm.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import vectorlstm.text.Json;

/**
 * Label strings and their class ids 0..n-1, in one fixed order.
 *
 * <p>The order is Keras' {@code text_dataset_from_directory} order: labels sorted by code point,
 * as Python's {@code sorted()} does ("B" before "a", "10" before "2"). So {"neg", "pos"} gives
 * neg = 0, pos = 1 and {"0", "1"} gives 0 = 0, 1 = 1, which is what a sigmoid output expects.
 * A saved map keeps its stored order, because a trained model's outputs mean those ids.
 */
public final class LabelMap {
    static final String FORMAT = "vector-lstm/labels";
    static final int VERSION = 1;

    /** Python's {@code sorted()} on str: by code point, not by UTF-16 unit as {@link String#compareTo}. */
    static final Comparator<String> CODE_POINT_ORDER = LabelMap::compareCodePoints;

    private final List<String> labels;
    private final Map<String, Integer> ids;

    private LabelMap(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.ids = new HashMap<>();
        for (int i = 0; i < this.labels.size(); i++) {
            if (ids.put(this.labels.get(i), i) != null) {
                throw new DataException("label " + Json.quote(this.labels.get(i)) + " appears twice in " + labels);
            }
        }
        if (this.labels.isEmpty()) {
            throw new DataException("a label map needs at least one label");
        }
    }

    /** Exactly these labels, in this order (class id = position), e.g. as a saved model lists them. */
    public static LabelMap inOrder(List<String> labels) {
        return new LabelMap(labels);
    }

    /** The distinct labels in {@code labels} (repeats allowed), sorted by code point. */
    public static LabelMap fromLabels(Collection<String> labels) {
        TreeSet<String> sorted = new TreeSet<>(CODE_POINT_ORDER);
        for (String label : labels) {
            if (label == null) {
                throw new DataException("a label must not be null");
            }
            sorted.add(label);
        }
        return new LabelMap(new ArrayList<>(sorted));
    }

    /** @throws DataException naming {@code label} and the known labels, if it is not in the map */
    public int id(String label) {
        Integer id = ids.get(label);
        if (id == null) {
            throw new DataException("unknown label " + (label == null ? "null" : Json.quoteShort(label, 80))
                    + ": the known labels are " + labels);
        }
        return id;
    }

    public String label(int id) {
        if (id < 0 || id >= labels.size()) {
            throw new IndexOutOfBoundsException("class id " + id + " is not in 0.." + (labels.size() - 1));
        }
        return labels.get(id);
    }

    public int size() {
        return labels.size();
    }

    /** Two classes: one sigmoid output with binary cross-entropy rather than a softmax. */
    public boolean isBinary() {
        return labels.size() == 2;
    }

    /** The labels in id order (unmodifiable). */
    public List<String> labels() {
        return labels;
    }

    /** {@code {"format": "vector-lstm/labels", "version": 1, "labels": [...]}}, in id order. */
    public String toJson() {
        StringBuilder out = new StringBuilder(64 + labels.size() * 16);
        out.append("{\"format\": ");
        Json.appendQuoted(out, FORMAT);
        out.append(", \"version\": ").append(VERSION).append(", \"labels\": [");
        for (int i = 0; i < labels.size(); i++) {
            out.append(i == 0 ? "" : ", ");
            Json.appendQuoted(out, labels.get(i));
        }
        return out.append("]}\n").toString();
    }

    /** Reads {@link #toJson()}'s output, keeping the stored order. */
    public static LabelMap fromJson(String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new DataException("saved label map is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> root) || !FORMAT.equals(root.get("format"))) {
            throw new DataException("not a saved label map (expected a JSON object with \"format\": \"" + FORMAT + "\")");
        }
        if (!(root.get("version") instanceof Long version) || version != VERSION) {
            throw new DataException("saved label map has version " + root.get("version") + ", expected " + VERSION);
        }
        if (!(root.get("labels") instanceof List<?> stored)) {
            throw new DataException("saved label map has no \"labels\" array");
        }
        List<String> labels = new ArrayList<>(stored.size());
        for (Object label : stored) {
            if (!(label instanceof String s)) {
                throw new DataException("saved label map holds a non-string label: " + label);
            }
            labels.add(s);
        }
        return new LabelMap(labels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return "LabelMap" + labels;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
