package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MetricsTest {
    /**
     * A reload retires the old model's batch threads. The counter summed the live threads only, so
     * it went down at every reload, which Prometheus' rate() takes for a reset (the whole new value
     * counted as the increase). A thread that has ended now counts with its time at the last scrape.
     */
    @Test
    void scoringCpuSecondsNeverGoDownWhenAScoringThreadEnds() throws Exception {
        Metrics metrics = new Metrics(Set.of());
        double before = metrics.scoringCpuSeconds();
        CountDownLatch busy = new CountDownLatch(1), end = new CountDownLatch(1);
        Thread scorer = Thread.ofPlatform().name("vector-lstm-predict-test").start(() -> {
            long spin = System.nanoTime() + 200_000_000L;
            double x = 0;
            while (System.nanoTime() < spin) x += Math.sqrt(x + 1);  // CPU time for the counter to see
            busy.countDown();
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (x < 0) System.out.println(x);
        });
        busy.await();
        double whileAlive = metrics.scoringCpuSeconds();
        assertTrue(whileAlive - before > 0.05, "the busy thread's time is counted: " + before + " -> " + whileAlive);
        end.countDown();
        scorer.join();
        double afterItEnded = metrics.scoringCpuSeconds();
        assertTrue(afterItEnded >= whileAlive, "went down from " + whileAlive + " to " + afterItEnded + " when the thread ended");
    }
}
