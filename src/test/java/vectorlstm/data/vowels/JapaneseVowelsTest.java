package vectorlstm.data.vowels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.data.vowels.VowelsFixture.jaeger;
import static vectorlstm.data.vowels.VowelsFixture.line;
import static vectorlstm.data.vowels.VowelsFixture.sizes;
import static vectorlstm.data.vowels.VowelsFixture.uci;
import static vectorlstm.data.vowels.VowelsFixture.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.DataException;
import vectorlstm.data.NumericSequences;

/** The loader on small files written here: both layouts, and every kind of bad input with its file and line. */
class JapaneseVowelsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheUciLayoutWithSpeakersFromTheSizeFiles() {
        JapaneseVowels data = JapaneseVowels.load(VowelsFixture.writeUci(dir));
        NumericSequences test = data.test();
        assertEquals(9, data.train().size());
        assertEquals(10, test.size());
        assertEquals(12, test.features());
        assertArrayEquals(new int[] {0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, test.labels());
        assertEquals("speaker 1", test.labelNames().get(0));
        assertEquals("speaker 9", test.labelNames().get(8));
        for (int b = 0; b < test.size(); b++) {
            float[][] sequence = test.sequence(b);
            assertEquals(VowelsFixture.length(b), sequence.length);
            for (int t = 0; t < sequence.length; t++) {
                for (int f = 0; f < 12; f++) assertEquals(VowelsFixture.value(b, t, f), sequence[t][f]);
            }
        }
        assertEquals(2, test.minLength());
        assertEquals(4, test.maxLength());
    }

    @Test
    void readsTheJaegerLayoutToTheSameSequences() {
        Path uci = VowelsFixture.writeUci(dir.resolve("uci"));
        Path course = dir.resolve("course");
        write(course.resolve("ae.train"), jaeger(9, false)); // as the course's ae.train: no empty lines
        write(course.resolve("ae.test"), jaeger(10, true)); // as its ae.test: an empty line after each separator
        write(course.resolve("size_ae.train"), sizes(VowelsFixture.TRAIN_COUNTS));
        write(course.resolve("size_ae.test"), sizes(VowelsFixture.TEST_COUNTS));
        JapaneseVowels a = JapaneseVowels.load(uci), b = JapaneseVowels.load(course);
        assertSame(a.train(), b.train());
        assertSame(a.test(), b.test());
    }

    @Test
    void separatorMayBeWrittenWithMoreDigits() {
        write(dir.resolve("ae.train"), line(0, 0) + "\r\n" + "1.00 1.00 1.00 1.00 " + "1.0 ".repeat(8) + "\r\n");
        AeFileParser.Parsed parsed = AeFileParser.parse(dir.resolve("ae.train"));
        assertTrue(parsed.separatorLines());
        assertEquals(1, parsed.blocks().size());
    }

    @Test
    void withoutSizeFilesTheUciDescriptionsCountsAreUsed() {
        write(dir.resolve("ae.train"), uci(270));
        write(dir.resolve("ae.test"), jaeger(370, true));
        JapaneseVowels data = JapaneseVowels.load(dir);
        assertEquals(270, data.train().size());
        for (int s = 0; s < 9; s++) assertEquals(30, data.train().count(s));
        int[] test = {31, 35, 88, 44, 29, 24, 40, 50, 29};
        for (int s = 0; s < 9; s++) assertEquals(test[s], data.test().count(s));
        assertEquals(1, data.test().label(31));
        assertEquals(8, data.test().label(369));

        write(dir.resolve("ae.test"), uci(369));
        assertError("ae.test:", "369 utterances, but the UCI description (no size_ae.* files here) counts 370");
    }

    @Test
    void nonNumericTokenNamesFileLineAndValue() {
        writeTrain(line(0, 0) + "\n" + line(0, 1).replace("0.0103", "0.01O3") + "\n\n");
        assertError("ae.train:2: value 4 is not a number: \"0.01O3\"");
        writeTrain(line(0, 0).replace("0.0000", "1.5f") + "\n\n");
        assertError("ae.train:1: value 1 is not a number: \"1.5f\"");
    }

    @Test
    void elevenOrThirteenValuesOnALine() {
        String eleven = line(0, 1).substring(line(0, 1).indexOf(' ') + 1);
        writeTrain(line(0, 0) + "\n" + eleven + "\n\n");
        assertError("ae.train:2: expected 12 numbers, found 11");
        writeTrain(line(0, 0) + "\n\n" + line(1, 0) + "7.5\n\n");
        assertError("ae.train:3: expected 12 numbers, found 13");
    }

    @Test
    void nanAndInfinityAreRejected() {
        writeTrain(line(0, 0).replace("0.0005", "NaN") + "\n\n");
        assertError("ae.train:1: value 6 is NaN; only finite numbers are allowed");
        writeTrain(line(0, 0) + "\n" + line(0, 1).replace("0.0111", "-Infinity") + "\n\n");
        assertError("ae.train:2: value 12 is -Infinity; only finite numbers are allowed");
        writeTrain(line(0, 0).replace("0.0002", "1e39") + "\n\n");
        assertError("ae.train:1: value 3 is out of float range: 1e39");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertError(dir.toString(), "holds neither ae.train nor ae.test");
        VowelsFixture.writeUci(dir);
        Files.delete(dir.resolve("ae.test"));
        assertError(dir.resolve("ae.test") + ": no such file, though ae.train is there");
        VowelsFixture.writeUci(dir);
        Files.delete(dir.resolve("size_ae.train"));
        assertError(dir.resolve("size_ae.train") + ": no such file, though size_ae.test is there");
        DataException e = assertThrows(DataException.class, () -> JapaneseVowels.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void emptyFilesAreRejected() {
        writeTrain("");
        assertError("ae.train:1: the file is empty");
        writeTrain("\n \n\r\n");
        assertError("ae.train:1: the file is empty");
        VowelsFixture.writeUci(dir);
        write(dir.resolve("size_ae.test"), "");
        assertError("size_ae.test:1: the file is empty");
    }

    @Test
    void blockCountMustAgreeWithTheSizeFile() {
        writeTrain(uci(8));
        assertError("ae.train:", "8 utterances, but " + dir.resolve("size_ae.train") + ":1 counts 9");
        writeTrain(uci(10));
        assertError("10 utterances, but");
    }

    @Test
    void sizeFileWithBadNumbers() {
        VowelsFixture.writeUci(dir);
        write(dir.resolve("size_ae.train"), "1 1 1 -1 1 1 1 1 1\n");
        assertError("size_ae.train:1: negative count -1");
        write(dir.resolve("size_ae.train"), "270 0 0 0 0 0 0 0 0\n");
        assertError("size_ae.train:1: a count of 0: every one of the 9 speakers needs utterances");
        write(dir.resolve("size_ae.train"), "1 1 1 1\n1 1 1 1 99999999999999999999\n");
        assertError("size_ae.train:2: count 99999999999999999999 is larger than 10000");
        write(dir.resolve("size_ae.train"), "1 1 1 1 1 1 1 1 10001\n");
        assertError("size_ae.train:1: count 10001 is larger than 10000");
        write(dir.resolve("size_ae.train"), "1 1 1 1 1 1 1 1\n");
        assertError("size_ae.train:1: 8 counts, expected one per speaker (9)");
        write(dir.resolve("size_ae.train"), "1 1 1 1 1 1 1 1 1 0\n");
        assertError("size_ae.train:1: more than 9 counts");
        write(dir.resolve("size_ae.train"), "1 1 1 1 1 1 1 1 1.5\n");
        assertError("size_ae.train:1: not a whole number: \"1.5\"");
    }

    /** A folder in a file's place was skipped (size files: the UCI counts used instead) or called missing (ae.train). */
    @Test
    void aFolderInAFilesPlaceIsSaidAsSuch() throws java.io.IOException {
        VowelsFixture.writeUci(dir);
        java.nio.file.Files.delete(dir.resolve("size_ae.test"));
        java.nio.file.Files.createDirectory(dir.resolve("size_ae.test"));
        assertError("size_ae.test is not a regular file (the speaker count files are files)");
    }

    @Test
    void absurdlyLongLinesAndFilesAreCapped() {
        writeTrain(line(0, 0) + "\n" + "1.0 ".repeat(2000) + "\n\n");
        assertError("ae.train:2: line is 8000 characters long, more than 1200");
        writeTrain("0".repeat((16 << 20) + 1));
        assertError("ae.train: 16777217 bytes, more than the 16777216 this loader accepts");
    }

    @Test
    void truncatedLastBlockIsAnError() {
        String uci = uci(9);
        writeTrain(uci.substring(0, uci.length() - 1)); // the final empty line is missing
        assertError("ae.train:35: the file ends inside utterance 9 (each one must be followed by an empty line)");
        writeTrain(uci.substring(0, uci.length() - 30)); // cut inside a line
        assertError("ae.train:35: expected 12 numbers, found");
        String course = jaeger(9, false);
        writeTrain(course.substring(0, course.lastIndexOf("1.0 ".repeat(12))));
        assertError("ae.train:35: the file ends inside utterance 9 (each one must be followed by a line of twelve 1.0 values)");
    }

    @Test
    void jaegerLayoutMustNotHaveEmptyLinesInsideAnUtterance() {
        String course = jaeger(9, false);
        writeTrain(course.replaceFirst("\r\n", "\r\n\r\n"));
        assertError("ae.train:2: empty line inside utterance 1");
        writeTrain("1.0 ".repeat(12) + "\n" + course);
        assertError("ae.train:1: separator line (twelve 1.0 values) with no frames before it");
    }

    private void writeTrain(String text) {
        VowelsFixture.writeUci(dir);
        write(dir.resolve("ae.train"), text);
    }

    /**
     * Loading {@code dir} fails with a message holding every part; a first part naming a file
     * ("ae.train:2: ...") must open the message, with the folder before it.
     */
    private void assertError(String first, String... more) {
        DataException e = assertThrows(DataException.class, () -> JapaneseVowels.load(dir));
        if (first.startsWith("ae.") || first.startsWith("size_ae.")) {
            assertTrue(e.getMessage().startsWith(dir.resolve(first).toString()), e.getMessage());
        } else {
            assertTrue(e.getMessage().contains(first), e.getMessage());
        }
        for (String part : more) assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void assertSame(NumericSequences a, NumericSequences b) {
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.sequence(i), b.sequence(i));
    }
}
