package vectorlstm.text;

import java.util.Arrays;

/** A growable int array, reused across texts so sequencing does not box every id. */
final class IntList {
    private int[] values = new int[256];
    private int size;

    void clear() {
        size = 0;
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
