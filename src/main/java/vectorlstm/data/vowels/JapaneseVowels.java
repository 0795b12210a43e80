package vectorlstm.data.vowels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vectorlstm.data.DataException;
import vectorlstm.data.NumericSequences;

/**
 * The Japanese Vowels speaker recognition data (UCI data set 128): nine speakers saying /ae/,
 * each utterance a sequence of 7 to 29 frames of 12 LPC cepstrum coefficients. The data set of
 * MATLAB's "Sequence Classification Using Deep Learning" example.
 *
 * <p>Labels are speakers 0..8, named "speaker 1".."speaker 9". Sequences stay in file order
 * (speaker by speaker); use {@link NumericSequences#indicesByLength()} to batch by length.
 */
public record JapaneseVowels(NumericSequences train, NumericSequences test) {
    public static final String TRAIN_FILE = "ae.train";
    public static final String TEST_FILE = "ae.test";
    public static final String TRAIN_SIZES = "size_ae.train";
    public static final String TEST_SIZES = "size_ae.test";
    public static final int FEATURES = AeFileParser.FEATURES;
    public static final List<String> SPEAKER_NAMES = speakerNames();

    /**
     * Reads a folder holding {@code ae.train} and {@code ae.test}, in the UCI layout or the Jaeger
     * course layout (told apart by content). Speakers come from {@code size_ae.train} and
     * {@code size_ae.test} when the folder has them, else from the counts in the UCI description.
     *
     * @throws DataException naming file and line when a file is missing, malformed, or its block
     *         count disagrees with the speaker counts
     */
    public static JapaneseVowels load(Path dir) {
        if (dir == null) throw new IllegalArgumentException("no Japanese Vowels folder given (null)");
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": not a folder (expected one holding " + TRAIN_FILE + " and " + TEST_FILE + ")");
        }
        if (!pair(dir, TRAIN_FILE, TEST_FILE, "the data files")) {
            throw new DataException(dir + ": holds neither " + TRAIN_FILE + " nor " + TEST_FILE
                    + " (expected the Japanese Vowels files from UCI, https://archive.ics.uci.edu/dataset/128)");
        }
        boolean sizeFiles = pair(dir, TRAIN_SIZES, TEST_SIZES, "the speaker count files");
        int[] trainCounts = sizeFiles ? SpeakerCounts.read(dir.resolve(TRAIN_SIZES)) : SpeakerCounts.UCI_TRAIN;
        int[] testCounts = sizeFiles ? SpeakerCounts.read(dir.resolve(TEST_SIZES)) : SpeakerCounts.UCI_TEST;
        return new JapaneseVowels(
                split(dir.resolve(TRAIN_FILE), trainCounts, sizeFiles ? dir.resolve(TRAIN_SIZES) : null),
                split(dir.resolve(TEST_FILE), testCounts, sizeFiles ? dir.resolve(TEST_SIZES) : null));
    }

    /** True if both files are there, false if neither; one without the other is a broken copy. */
    private static boolean pair(Path dir, String a, String b, String what) {
        // A folder (or pipe) of that name is not the file: it was skipped, or called missing.
        for (String name : new String[] {a, b}) {
            Path p = dir.resolve(name);
            if (Files.exists(p) && !Files.isRegularFile(p)) throw new DataException(p + " is not a regular file (" + what + " are files)");
        }
        boolean hasA = Files.isRegularFile(dir.resolve(a));
        boolean hasB = Files.isRegularFile(dir.resolve(b));
        if (hasA != hasB) {
            throw new DataException(dir.resolve(hasA ? b : a) + ": no such file, though " + (hasA ? a : b)
                    + " is there (" + what + " come in pairs: copy both)");
        }
        return hasA;
    }

    /** @param sizeFile where {@code counts} came from, or null for the UCI description's counts */
    private static NumericSequences split(Path file, int[] counts, Path sizeFile) {
        AeFileParser.Parsed parsed = AeFileParser.parse(file);
        List<float[][]> blocks = parsed.blocks();
        int expected = SpeakerCounts.total(counts);
        if (blocks.size() != expected) {
            String source = sizeFile != null ? sizeFile + ":1" : "the UCI description (no size_ae.* files here)";
            throw new DataException(file + ":" + parsed.lineCount() + ": " + blocks.size() + " utterances, but "
                    + source + " counts " + expected + " " + Arrays.toString(counts));
        }
        int[] labels = new int[expected];
        int at = 0;
        for (int speaker = 0; speaker < counts.length; speaker++) {
            Arrays.fill(labels, at, at + counts[speaker], speaker);
            at += counts[speaker];
        }
        return new NumericSequences(blocks.toArray(float[][][]::new), labels, SPEAKER_NAMES, FEATURES);
    }

    private static List<String> speakerNames() {
        List<String> names = new ArrayList<>();
        for (int s = 1; s <= SpeakerCounts.SPEAKERS; s++) names.add("speaker " + s);
        return List.copyOf(names);
    }
}
