package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;
import vectorlstm.model.Adam;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;

/**
 * Big model files load whole: the file is mapped, copied once into the model's own memory and
 * unmapped, so loading grows the process's anonymous memory (RssAnon: heap and off-heap
 * allocations) by about the file's size once, not twice, and a model of more than 2 GiB works.
 * Load time is a benchmark's business (jmh: ModelLoadBenchmark); here we print it.
 */
class LargeModelFileTest {
    @TempDir Path dir;

    @Test
    void aOneGibModelLoadsWithOneCopyOfItsWeights() throws IOException {
        loadsWithOneCopy(1L << 30);
    }

    @Test
    @Tag("slow")
    void modelsAboveTwoGibWork() throws IOException {
        loadsWithOneCopy(5L << 29);  // 2.5 GiB
    }

    private void loadsWithOneCopy(long embeddingBytes) throws IOException {
        int dim = 128, rows = (int) (embeddingBytes / Float.BYTES / dim);
        Path file = dir.resolve("big.vlstm");
        int[] ids = {0, 0, 5, rows - 1, 17, 3};
        float expected;
        try (Sequential m = new Sequential(new Embedding(rows, dim, ids.length), new Lstm(4), new Dense(1, "sigmoid")).seed(2);
             Scorer s = newScorer(m)) {
            expected = s.score(ids);
            ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, List.of(), ids.length));
        }
        assertTrue(Files.size(file) > embeddingBytes);
        long anonBefore = rssAnonBytes();
        long t0 = System.nanoTime();
        try (SavedModel loaded = ModelFile.load(file)) {
            long loadNanos = System.nanoTime() - t0;
            long grown = rssAnonBytes() - anonBefore;
            System.out.printf("loaded a %.2f GiB model in %.0f ms (one copy, checksum and NaN scan); anonymous memory grew by %d MiB%n",
                    Files.size(file) / (double) (1L << 30), loadNanos / 1e6, grown >> 20);
            for (var layer : loaded.model().layers()) {
                for (Parameter p : layer.parameters()) assertTrue(!p.value().segment().isMapped(), p + " is the model's own copy");
            }
            assertTrue(grown < embeddingBytes * 3 / 2, "loading grew anonymous memory by " + (grown >> 20) + " MiB for a " + (embeddingBytes >> 20) + " MiB table: more than one copy");
            try (Scorer s = loaded.model().newScorer()) {
                assertEquals(expected, s.score(ids), "scores from the loaded copy");
            }
        }
    }

    private static Scorer newScorer(Sequential m) {
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return m.newScorer();
    }

    /** RssAnon of /proc/self/status (Linux; see TestEnvironment for elsewhere). */
    private static long rssAnonBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        TestEnvironment.require(Files.isReadable(status), "Linux /proc");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("RssAnon:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new AssertionError("no RssAnon in " + status);
    }
}
