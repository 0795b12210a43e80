package vectorlstm.data.imdb;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Function;
import vectorlstm.data.DataException;

/** Splits a pax extended header into its "LENGTH KEY=VALUE\n" records. */
final class PaxRecords {
    private PaxRecords() {
    }

    static void forEach(byte[] data, Function<String, DataException> fail, BiConsumer<String, String> action) {
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                return; // NUL padding after the last record
            }
            // LENGTH counts the whole record: its own digits, the space, KEY=VALUE and the newline.
            int length = 0, i = pos;
            while (i < data.length && data[i] >= '0' && data[i] <= '9' && length < data.length) {
                length = length * 10 + (data[i++] - '0');
            }
            int end = pos + length;
            if (i == pos || i >= data.length || data[i] != ' ' || end > data.length || end <= i
                    || data[end - 1] != '\n') {
                throw fail.apply("malformed pax extended header record at offset " + pos);
            }
            int equals = i + 1;
            while (equals < end - 1 && data[equals] != '=') {
                equals++;
            }
            if (equals == end - 1) {
                throw fail.apply("malformed pax extended header record at offset " + pos + " (no '=')");
            }
            String key = new String(data, i + 1, equals - i - 1, StandardCharsets.UTF_8);
            String value = new String(data, equals + 1, end - 1 - equals - 1, StandardCharsets.UTF_8);
            action.accept(key, value);
            pos = end;
        }
    }
}
