package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.Classification;

/** The scorers' loops, without HTTP: what they do with a job whose caller has given up. */
class ScoringQueueTest {
    @TempDir Path dir;

    /**
     * Without batching (--max-batch 1) a job is scored text by text; one whose request timed out
     * while it was being scored stops at its next text, as the batch loop stops at its next batch.
     * It was scored to its end for nobody (a whole --max-texts request per worker).
     */
    @Test
    void aJobGivenUpOnWhileItIsScoredStopsAtItsNextText() throws Exception {
        LoadedModel model = LoadedModel.load(ServeFixture.savedModel(dir.resolve("m.vlstm"), 3), 1);
        Metrics metrics = new Metrics(Set.of());
        int texts = 20_000;
        int[][] sequences = new int[texts][];
        int[] ids = new int[ServeFixture.MAXLEN];
        Arrays.fill(ids, 5);
        Arrays.fill(sequences, ids);
        CompletableFuture<List<Classification>> result = new CompletableFuture<>();
        ScoringQueue.Job job = new ScoringQueue.Job(model, sequences, result);
        try (ScoringQueue queue = new ScoringQueue(ServeFixture.settings(1, 1 << 20, texts, texts, Duration.ofSeconds(20)), metrics)) {
            queue.arriving();
            assertTrue(queue.offer(job));
            ServeFixture.await("the first text scored", () -> metrics.textsScored() > 0);
            queue.withdraw(job);  // what the request's handler does when its time is up
        } finally {
            model.release();
        }
        // close() waited for the scorers: what they scored of the job is all there will be.
        long scored = metrics.textsScored();
        assertTrue(scored < texts / 2, scored + " of " + texts + " texts scored after the job was given up");
        assertTrue(result.isCancelled());
    }
}
