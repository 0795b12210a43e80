package vectorlstm.data.imdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import vectorlstm.data.TextDataset;

/**
 * Loads the real aclImdb archive, found as the demo finds it ({@link RealImdb}: the shared data
 * folder beside the checkout on our machines and CI, else the cache or a download).
 */
class RealImdbArchiveTest {
    @Test
    void loadsAllLabeledReviews() {
        Path archive = RealImdb.archive();
        long start = System.nanoTime();
        ImdbDataset data = ImdbDataset.load(archive);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("RealImdbArchiveTest: loaded " + archive + " in " + millis + " ms");

        for (TextDataset split : new TextDataset[] {data.train(), data.test()}) {
            assertEquals(25_000, split.size());
            assertEquals(12_500, split.count(0));
            assertEquals(12_500, split.count(1));
            // Negatives first, then positives.
            assertEquals(0, split.label(12_499));
            assertEquals(1, split.label(12_500));
            for (int i = 0; i < split.size(); i += 97) assertFalse(split.text(i).isEmpty());
        }
        // Sorted by id: train/neg/0_3.txt and train/pos/0_9.txt open each label's block.
        assertTrue(data.train().text(0).startsWith("Story of a man who has unnatural feelings for a pig."));
        assertTrue(data.train().text(12_500).startsWith("Bromwell High is a cartoon comedy."));
        // The texts as written: an imported Keras IMDB model read "<br />" as the word "br", so the loader must not drop it.
        assertTrue(data.test().texts().stream().anyMatch(t -> t.contains("<br /><br />")), "HTML line breaks are kept");
    }
}
