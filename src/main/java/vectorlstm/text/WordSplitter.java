package vectorlstm.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keras' {@code text_to_word_sequence}: lowercase (optionally), replace every filter character
 * by the split string, split on the split string, drop empty pieces.
 *
 * <p>With a one-character split (the usual " ") that is the same as cutting the text at every
 * split or filter character, which is done in one pass without building the replaced string.
 */
final class WordSplitter {
    private final boolean lower;
    /** Keras' split is " "; a few characters more are plausible, a thousand are not. */
    static final int MAX_SPLIT_CHARS = 64;
    /** Keras' default filters are 32 characters; any set of punctuation fits in this. */
    static final int MAX_FILTER_CHARS = 4096;

    private final String split;
    private final int splitCodePoint; // -1 if the split string is not a single code point
    private final boolean[] asciiFilters = new boolean[128];
    private final Set<Integer> otherFilters = new HashSet<>();

    WordSplitter(String filters, boolean lower, String split) {
        if (split.isEmpty()) {
            throw new IllegalArgumentException("split must not be empty (Python's str.split rejects it too)");
        }
        if (split.length() > MAX_SPLIT_CHARS || filters.length() > MAX_FILTER_CHARS) {
            // Each filter character becomes a copy of split before splitting: their product bounds the memory a text takes.
            throw new IllegalArgumentException("split (" + split.length() + " characters) or filters (" + filters.length()
                    + ") is longer than a tokenizer uses (at most " + MAX_SPLIT_CHARS + " and " + MAX_FILTER_CHARS + ")");
        }
        this.lower = lower;
        this.split = split;
        this.splitCodePoint = split.codePointCount(0, split.length()) == 1 ? split.codePointAt(0) : -1;
        filters.codePoints().forEach(cp -> {
            if (cp < 128) {
                asciiFilters[cp] = true;
            } else {
                otherFilters.add(cp);
            }
        });
    }

    List<String> split(String text) {
        List<String> words = new ArrayList<>();
        split(text, words);
        return words;
    }

    /** Appends the words of {@code text} to {@code out}. */
    void split(String text, List<String> out) {
        String s = lower ? text.toLowerCase(Locale.ROOT) : text;
        if (splitCodePoint >= 0) {
            cutAtSeparators(s, out);
        } else {
            splitOnString(replaceFilters(s), out);
        }
    }

    private boolean isFilter(int cp) {
        return cp < 128 ? asciiFilters[cp] : !otherFilters.isEmpty() && otherFilters.contains(cp);
    }

    private void cutAtSeparators(String s, List<String> out) {
        int start = 0;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            // Most characters are ASCII: test them without decoding a code point or boxing.
            int cp = Character.isSurrogate(c) ? s.codePointAt(i) : c;
            int next = i + Character.charCount(cp);
            if (cp < 128 ? asciiFilters[cp] || cp == splitCodePoint : cp == splitCodePoint || isFilter(cp)) {
                if (i > start) {
                    out.add(s.substring(start, i));
                }
                start = next;
            }
            i = next;
        }
        if (s.length() > start) {
            out.add(s.substring(start));
        }
    }

    private String replaceFilters(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (isFilter(cp)) {
                b.append(split);
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** Python's {@code s.split(sep)}: literal, left to right, non-overlapping. */
    private void splitOnString(String s, List<String> out) {
        int start = 0;
        for (int at; (at = s.indexOf(split, start)) >= 0; start = at + split.length()) {
            if (at > start) {
                out.add(s.substring(start, at));
            }
        }
        if (s.length() > start) {
            out.add(s.substring(start));
        }
    }
}
