package vectorlstm.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keras' {@code text_to_word_sequence}: lowercase (optionally, as Python's {@code str.lower()}),
 * replace every filter character by the split string, split on the split string, drop empty pieces.
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
        if (text == null) throw new IllegalArgumentException("the text is null");
        String s = lower ? pythonLower(text) : text;
        if (splitCodePoint >= 0) {
            cutAtSeparators(s, out);
        } else {
            splitOnString(replaceFilters(s), out);
        }
    }

    /**
     * Python's {@code str.lower()}, which Keras applies, by this JDK's Unicode tables (Unicode 16,
     * as Python 3.14's; an older Python leaves the few characters cased since its version as
     * they are: 27 against Python 3.11's Unicode 14). Java's {@code toLowerCase(Locale.ROOT)}
     * maps every character the same way except the capital sigma, whose final form it chooses by
     * word boundaries: "ΚΑΛΟΣ-ΚΑΚΟΣ" became "καλοσ" (Python: "καλος"), so one word had two ids.
     * Python looks only at the nearest characters that are not case-ignorable (CPython's
     * {@code handle_capital_sigma}), as done here.
     */
    static String pythonLower(String text) {
        int sigma = text.indexOf(CAPITAL_SIGMA);
        if (sigma < 0) return text.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (; sigma >= 0; sigma = text.indexOf(CAPITAL_SIGMA, from)) {
            // Between two sigmas no mapping depends on context: the pieces lowercase alone.
            out.append(text.substring(from, sigma).toLowerCase(Locale.ROOT)).append(isFinalSigma(text, sigma) ? '\u03c2' : '\u03c3');
            from = sigma + 1;
        }
        return out.append(text.substring(from).toLowerCase(Locale.ROOT)).toString();
    }

    private static final char CAPITAL_SIGMA = '\u03a3';

    /** Unicode's Final_Sigma: a cased letter before (case-ignorables skipped), none after. */
    private static boolean isFinalSigma(String s, int at) {
        int before = at;
        int cp = 0;
        while (before > 0 && isCaseIgnorable(cp = s.codePointBefore(before))) before -= Character.charCount(cp);
        if (before == 0 || !isCased(cp)) return false;
        int after = at + 1;
        while (after < s.length() && isCaseIgnorable(cp = s.codePointAt(after))) after += Character.charCount(cp);
        return after == s.length() || !isCased(cp);
    }

    /** Unicode's Cased: Lowercase, Uppercase or a titlecase letter. */
    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode's Case_Ignorable: marks, format characters, modifiers, and the Word_Break MidLetter, MidNumLet and Single_Quote characters. */
    private static boolean isCaseIgnorable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL -> true;
            default -> WORD_BREAK_MID.indexOf(cp) >= 0;
        };
    }

    /** Word_Break=MidLetter, MidNumLet and Single_Quote (WordBreakProperty.txt). */
    private static final String WORD_BREAK_MID = "'.:\u00b7\u0387\u055f\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a";

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
