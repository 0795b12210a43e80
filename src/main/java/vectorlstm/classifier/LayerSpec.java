package vectorlstm.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.GlobalAveragePooling1D;
import vectorlstm.layers.GlobalMaxPooling1D;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.RecurrentLayer;

/**
 * The layers between a model's input (the embedding, or a numeric Input) and its head, written as
 * {@code ./lstm train --layers} takes them: comma-separated items
 * <ul>
 *   <li>{@code lstm:N}, {@code lstm:N:seq} (returnSequences), and the LSTM's own dropout:
 *       {@code lstm:N:dropout=R:recurrent_dropout=R};</li>
 *   <li>{@code bilstm:N[:seq][:concat|sum|ave|mul]} (Bidirectional, concat by default; the dropout
 *       options too);</li>
 *   <li>{@code gru:N[:seq]} and {@code bigru:N[:seq][:concat|sum|ave|mul]}: the same with Keras' GRU
 *       (reset_after, its default), dropout options too;</li>
 *   <li>{@code dropout:R} (0 &lt;= R &lt; 1);</li>
 *   <li>{@code maxpool}, {@code avgpool} (global pooling over the steps of a {@code :seq} layer).</li>
 * </ul>
 * e.g. {@code lstm:100} (the default), {@code lstm:64:seq,lstm:32}, {@code bilstm:64},
 * {@code lstm:64:seq,maxpool,dropout:0.2}. The spec must end with something that removes the
 * time axis (a recurrent layer without {@code :seq}, or a pooling). Errors name the bad item.
 */
public final class LayerSpec {
    /** Units above this make a layer that takes gigabytes and minutes to initialise. */
    public static final int MAX_UNITS = TrainingRecipe.MAX_UNITS;
    private static final int MAX_ITEMS = 32;

    private final String text;
    private final List<String> items;

    private LayerSpec(String text, List<String> items) {
        this.text = text;
        this.items = items;
    }

    /** Checks the whole spec (names, numbers, and that the shapes chain), building nothing yet. */
    public static LayerSpec parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--layers is empty (e.g. lstm:100 or bilstm:64)");
        String[] parts = spec.trim().split(",", -1);
        if (parts.length > MAX_ITEMS) throw new IllegalArgumentException("--layers has " + parts.length + " items, more than " + MAX_ITEMS);
        List<String> items = new ArrayList<>();
        for (String p : parts) items.add(p.trim().toLowerCase(Locale.ROOT));
        LayerSpec s = new LayerSpec(spec.trim(), List.copyOf(items));
        s.layers();  // every check runs here, so a bad spec fails before any data is read
        return s;
    }

    /** Fresh, unbuilt layers for one model. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        boolean sequence = true;  // the input is a sequence
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            String where = "--layers item " + (i + 1) + " '" + item + "'";
            String[] f = item.split(":", -1);
            Layer layer = switch (f[0]) {
                case "lstm", "gru" -> recurrent(f, where, false);
                case "bilstm", "bigru" -> recurrent(f, where, true);
                case "dropout" -> {
                    arity(f, 2, 2, where, "dropout:RATE");
                    yield new Dropout(rate(f[1], where));
                }
                case "maxpool", "avgpool" -> {
                    arity(f, 1, 1, where, f[0]);
                    if (!sequence) throw new IllegalArgumentException(where + ": pooling needs a sequence, but the item before returns its last state only (give it :seq)");
                    yield f[0].equals("maxpool") ? new GlobalMaxPooling1D() : new GlobalAveragePooling1D();
                }
                case "" -> throw new IllegalArgumentException(where + ": empty item (two commas in a row?)");
                default -> throw new IllegalArgumentException(where + ": unknown layer '" + f[0] + "' (lstm, bilstm, gru, bigru, dropout, maxpool, avgpool)");
            };
            if (layer instanceof RecurrentLayer || layer instanceof Bidirectional) {
                if (!sequence) throw new IllegalArgumentException(where + ": a recurrent layer needs a sequence, but the one before returns its last state only (give it :seq)");
                sequence = java.util.Arrays.asList(f).contains("seq");
            } else if (layer instanceof GlobalMaxPooling1D || layer instanceof GlobalAveragePooling1D) {
                sequence = false;
            }
            out.add(layer);
        }
        if (sequence) {
            throw new IllegalArgumentException("--layers '" + text + "' ends with a sequence: end with a recurrent layer without :seq, or with maxpool/avgpool");
        }
        return out;
    }

    /** {@code lstm:N[:seq]} or {@code bilstm:N[:seq][:merge]}, and the same for gru. */
    private static Layer recurrent(String[] f, String where, boolean bidirectional) {
        arity(f, 2, bidirectional ? 6 : 5, where, bidirectional ? f[0] + ":UNITS[:seq][:concat|sum|ave|mul][:dropout=R][:recurrent_dropout=R]"
                : f[0] + ":UNITS[:seq][:dropout=R][:recurrent_dropout=R]");
        int units = units(f[1], where);
        boolean seq = false;
        float dropout = 0, recurrentDropout = 0;
        Bidirectional.MergeMode merge = Bidirectional.MergeMode.CONCAT;
        java.util.Set<String> given = new java.util.HashSet<>();
        for (int k = 2; k < f.length; k++) {
            // One value per option: "bilstm:4:sum:mul" or two dropout= kept the last and said nothing.
            String option = isMerge(f[k]) ? "merge mode" : f[k].contains("=") ? f[k].substring(0, f[k].indexOf('=')) : f[k];
            if (!given.add(option)) throw new IllegalArgumentException(where + ": " + option + " is given twice");
            if (f[k].equals("seq")) {
                seq = true;
            } else if (bidirectional && isMerge(f[k])) {
                merge = Bidirectional.MergeMode.parse(f[k]);
            } else if (f[k].startsWith("dropout=")) {
                dropout = rate(f[k].substring("dropout=".length()), where);
            } else if (f[k].startsWith("recurrent_dropout=")) {
                recurrentDropout = rate(f[k].substring("recurrent_dropout=".length()), where);
            } else {
                throw new IllegalArgumentException(where + ": unknown option '" + f[k] + "' (seq" + (bidirectional ? ", concat, sum, ave, mul" : "")
                        + ", dropout=R, recurrent_dropout=R)");
            }
        }
        RecurrentLayer inner = f[0].endsWith("gru") ? new Gru(units, seq) : new Lstm(units, seq);
        if (dropout > 0) inner.dropout(dropout);
        if (recurrentDropout > 0) inner.recurrentDropout(recurrentDropout);
        return bidirectional ? new Bidirectional(inner, merge) : inner;
    }

    private static boolean isMerge(String s) {
        return s.equals("concat") || s.equals("sum") || s.equals("ave") || s.equals("mul");
    }

    private static void arity(String[] f, int min, int max, String where, String form) {
        if (f.length < min || f.length > max) throw new IllegalArgumentException(where + ": expected " + form);
    }

    private static int units(String s, String where) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_UNITS) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(where + ": units must be a whole number from 1 to " + MAX_UNITS + ", got '" + s + "'");
    }

    private static float rate(String s, String where) {
        try {
            float r = Float.parseFloat(s);
            if (r >= 0f && r < 1f) return r;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(where + ": the rate must be a number in [0, 1), got '" + s + "'");
    }

    /** True when some item reads the sequence backwards (bidirectional), which needs masked padding to see real steps last. */
    public boolean readsBackwards() {
        return items.stream().anyMatch(i -> i.startsWith("bi"));
    }

    @Override public String toString() { return text; }
}
