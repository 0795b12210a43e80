package vectorlstm.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import vectorlstm.text.Json;

/**
 * Loads a JSON Lines file: one JSON object per line, blank lines skipped.
 *
 * <p>The text field must be a string. The label may be a string, a number or a boolean and is
 * used in its string form ({@code 1} is "1", {@code true} is "true"); an integral float such as
 * {@code 1.0} counts as "1", because pandas writes an integer column holding a gap as floats.
 */
public final class JsonLinesDataset {

    private JsonLinesDataset() {
    }

    /**
     * @throws DataException naming the file and line: unreadable or non-UTF-8 file, invalid JSON,
     *                       not an object, missing field, wrong type, empty label, no records
     */
    public static TextDataset load(Path file, String textField, String labelField) {
        if (file == null) throw new IllegalArgumentException("no data file given (null)");
        if (textField == null || labelField == null) throw new IllegalArgumentException("no " + (textField == null ? "text" : "label") + " field named (null)");
        if (textField.equals(labelField)) {  // as for CSV: the model would learn its labels from themselves
            throw new DataException("the text and label fields must differ, both are " + Json.quote(textField));
        }
        LabelCollector records = new LabelCollector();
        long lineNumber = 0;
        DataException.requireNotADevice(file);
        try (BufferedReader reader = new BufferedReader(new Utf8Reader(Files.newInputStream(file)))) {
            BoundedLines lines = new BoundedLines(reader);
            for (String line = lines.next(); line != null; line = lines.next()) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == Utf8Text.BOM) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    Map<?, ?> object = object(line, file, lineNumber);
                    records.add(text(object, textField, file, lineNumber), label(object, labelField, file, lineNumber));
                }
            }
        } catch (BoundedLines.TooLong e) {
            throw new DataException(file + ", line " + e.line + ": longer than " + (TextDataset.MAX_TEXT_BYTES >> 20) + " Mi characters", e);
        } catch (Utf8Reader.Malformed e) {
            throw Utf8Text.invalid(file, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + DataException.reason(e), e);
        }
        if (records.size() == 0) {
            throw new DataException(file + " holds no JSON objects");
        }
        return records.build();
    }

    private static Map<?, ?> object(String line, Path file, long lineNumber) {
        Object parsed;
        try {
            parsed = Json.parse(line);
        } catch (IllegalArgumentException e) {
            String start = line.strip();
            String hint = lineNumber == 1 && start.startsWith("[") ? " (this looks like one JSON array; expected one object per line)"
                    : lineNumber == 1 && start.equals("{") ? " (this looks like one object written over several lines; expected one object per line)" : "";
            throw error(file, lineNumber, e.getMessage() + hint);
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw error(file, lineNumber, "expected a JSON object, found " + typeOf(parsed));
        }
        return object;
    }

    private static String text(Map<?, ?> object, String field, Path file, long lineNumber) {
        Object value = field(object, field, file, lineNumber);
        if (!(value instanceof String text)) {
            throw error(file, lineNumber, "text field " + Json.quote(field) + " must be a string, found " + typeOf(value));
        }
        return text;
    }

    private static String label(Map<?, ?> object, String field, Path file, long lineNumber) {
        String label = switch (field(object, field, file, lineNumber)) {
            case null -> throw error(file, lineNumber, "label field " + Json.quote(field) + " is null");
            case String s -> s;
            case Boolean b -> b.toString();
            case Long l -> l.toString();
            case java.math.BigInteger big -> big.toString();
            case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p53 -> Long.toString(d.longValue());
            // 1e20 and 100000000000000000000 are one number: written as digits both, not "1.0E20" beside them
            case Double d when d == Math.rint(d) && !d.isInfinite() -> java.math.BigDecimal.valueOf(d).toBigInteger().toString();  // 1e23 as written, not its binary value
            case Double d -> d.toString();
            case Object other -> throw error(file, lineNumber, "label field " + Json.quote(field)
                    + " must be a string, number or boolean, found " + typeOf(other));
        };
        if (label.isBlank()) {
            throw error(file, lineNumber, "empty label in field " + Json.quote(field));
        }
        String problem = LabelCollector.labelProblem(label);
        if (problem != null) throw error(file, lineNumber, problem);
        return label;
    }

    private static Object field(Map<?, ?> object, String field, Path file, long lineNumber) {
        if (!object.containsKey(field)) {
            throw error(file, lineNumber, "no field " + Json.quote(field) + "; the object has " + object.keySet());
        }
        return object.get(field);
    }

    private static String typeOf(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> value.getClass().getSimpleName();
        };
    }

    private static DataException error(Path file, long lineNumber, String what) {
        return new DataException(file + ", line " + lineNumber + ": " + what);
    }
}
