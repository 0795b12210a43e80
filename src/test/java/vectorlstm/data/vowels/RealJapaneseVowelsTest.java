package vectorlstm.data.vowels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vectorlstm.TestEnvironment;
import vectorlstm.data.DataException;
import vectorlstm.data.NumericSequences;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbLocator;

/**
 * The real files, found the way the product finds them ({@link VowelsLocator}): the counts below
 * are the ones verified in the shared folder's README, and they must come out of our parser.
 */
class RealJapaneseVowelsTest {
    private static Path folder;
    private static JapaneseVowels data;

    @BeforeAll
    static void locate() {
        try {
            folder = VowelsLocator.locate(null, System.getenv(), Path.of("").toAbsolutePath(),
                    ImdbLocator.defaultCacheDir(), new HttpDownloader(), System.out);
        } catch (DataException e) {
            // Only reached when no copy was found anywhere and the download failed too.
            TestEnvironment.require(false, "the Japanese Vowels data (not beside $VLSTM_DATA, in "
                    + "../shared/data/japanese-vowels or the cache, and the download failed: " + e.getMessage() + ")");
        }
        System.out.println("RealJapaneseVowelsTest: using " + folder);
        data = JapaneseVowels.load(folder);
    }

    @Test
    void countsMatchTheVerifiedOnes() {
        check(data.train(), 270, 4274, 7, 26, new int[] {30, 30, 30, 30, 30, 30, 30, 30, 30});
        check(data.test(), 370, 5687, 7, 29, new int[] {31, 35, 88, 44, 29, 24, 40, 50, 29});
        assertEquals(640, data.train().size() + data.test().size());
        assertEquals(9961, data.train().totalSteps() + data.test().totalSteps());
    }

    @Test
    void firstAndLastValuesAreTheFilesOwn() {
        assertEquals(1.860936f, data.train().sequence(0)[0][0]);
        float[][] last = data.train().sequence(269);
        assertEquals(0.173642f, last[last.length - 1][11]);
        assertEquals(1.635533f, data.test().sequence(0)[0][0]);
        assertEquals(0, data.test().label(30));
        assertEquals(1, data.test().label(31));
        assertEquals(8, data.test().label(369));
    }

    @Test
    void lengthOrderGoesFromShortestToLongest() {
        NumericSequences test = data.test();
        int[] order = test.indicesByLength();
        assertEquals(7, test.length(order[0]));
        assertEquals(29, test.length(order[order.length - 1]));
        for (int i = 1; i < order.length; i++) {
            assertTrue(test.length(order[i - 1]) < test.length(order[i])
                    || test.length(order[i - 1]) == test.length(order[i]) && order[i - 1] < order[i]);
        }
    }

    @Test
    void theJaegerCourseCopyGivesTheSameSequences() {
        Path course = folder.resolve("source-jaeger-format");
        // Only the shared folder keeps the course copy; a download from UCI has just the UCI files,
        // so a user without ../shared may skip this; CI has ../shared and must run it (TestEnvironment).
        TestEnvironment.require(Files.isDirectory(course), "the course copy in " + course);
        JapaneseVowels jaeger = JapaneseVowels.load(course); // no size_ae.*: the UCI description's counts
        for (NumericSequences[] pair : new NumericSequences[][] {{data.train(), jaeger.train()}, {data.test(), jaeger.test()}}) {
            assertArrayEquals(pair[0].labels(), pair[1].labels());
            for (int i = 0; i < pair[0].size(); i++) assertArrayEquals(pair[0].sequence(i), pair[1].sequence(i));
        }
        assertTrue(AeFileParser.parse(course.resolve("ae.test")).separatorLines());
        assertFalse(AeFileParser.parse(folder.resolve("ae.test")).separatorLines());
    }

    private static void check(NumericSequences split, int size, long frames, int min, int max, int[] perSpeaker) {
        assertEquals(size, split.size());
        assertEquals(frames, split.totalSteps());
        assertEquals(min, split.minLength());
        assertEquals(max, split.maxLength());
        assertEquals(12, split.features());
        for (int s = 0; s < 9; s++) assertEquals(perSpeaker[s], split.count(s), "speaker " + (s + 1));
    }
}
