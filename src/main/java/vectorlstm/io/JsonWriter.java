package vectorlstm.io;

import java.util.List;
import java.util.Map;
import vectorlstm.text.Json;

/**
 * Writes maps, lists, strings, numbers, booleans and nulls as compact JSON (model headers, bench
 * results); {@link Json} reads it back.
 */
public final class JsonWriter {
    private JsonWriter() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> Json.appendQuoted(out, s);
            case Double d when !Double.isFinite(d) -> throw new IllegalArgumentException("cannot write " + d + " as JSON");
            case Float f when !Float.isFinite(f) -> throw new IllegalArgumentException("cannot write " + f + " as JSON");
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    Json.appendQuoted(out, String.valueOf(e.getKey()));
                    out.append(':');
                    append(out, e.getValue());
                }
                out.append('}');
            }
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(',');
                    append(out, l.get(i));
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON");
        }
    }
}
