package vectorlstm.serve;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import vectorlstm.classifier.Classification;

/**
 * Texts waiting to be scored, and the platform threads that score them. HTTP handlers (virtual
 * threads, cheap and many) only parse and tokenize; the CPU-bound scoring runs here on a fixed
 * number of threads, so the cores are never oversubscribed and the backlog is bounded: a request
 * that would push it past {@link ServerSettings#queueTexts()} is refused at once (503).
 *
 * <p>Two ways to score, chosen by {@link ServerSettings#maxBatch()}:
 * <ul>
 *   <li>one by one ({@code maxBatch == 1}): {@code threads} workers, each scoring one text at a
 *       time on the single-sequence kernels (prefix skip, no wait);
 *   <li>dynamic batching ({@code maxBatch > 1}): one collector takes what is waiting and, while
 *       more requests are on their way, waits up to {@code batchWait} for them (up to
 *       {@code maxBatch} texts, a request's texts split between batches if need be); it scores
 *       the lot on the batch kernels, which use all {@code threads} cores (a batch of one text
 *       on the batch-1 kernels).
 * </ul>
 */
final class ScoringQueue implements AutoCloseable {
    /** Thread names start with this, so the metrics can add up the CPU time spent scoring. */
    static final String THREAD_PREFIX = "vector-lstm-serve-";

    /** One request's texts, scored on the model the request started with. */
    record Job(LoadedModel model, int[][] sequences, CompletableFuture<List<Classification>> result) {}

    private final ServerSettings settings;
    private final Metrics metrics;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedTexts = new AtomicInteger();
    /** Requests with their body read, being tokenized: the ones a batch may wait for. */
    private final AtomicInteger arriving = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    ScoringQueue(ServerSettings settings, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        int workers = settings.batching() ? 1 : settings.threads();
        for (int i = 0; i < workers; i++) {
            Runnable loop = settings.batching() ? this::batchLoop : this::oneByOneLoop;
            threads.add(Thread.ofPlatform().daemon().name(THREAD_PREFIX + "scorer-" + i).start(loop));
        }
    }

    /**
     * A request's texts are being tokenized: its job is on its way. Ended by {@link #offer} (or
     * by {@link #arrivalFailed} when the request fails before it has a job).
     */
    void arriving() { arriving.incrementAndGet(); }

    /** A request counted by {@link #arriving} failed before offering a job. */
    void arrivalFailed() { arriving.decrementAndGet(); }

    /**
     * Queues a job; false when the backlog is full (the caller answers 503). The caller holds a
     * reference to the job's model; the queued job takes one of its own, given back once scored
     * (or skipped), so a caller that gives up on a timeout never closes a model under a scorer.
     * The job's arrival ({@link #arriving}) ends here, before the job can be seen: a collector
     * that has taken it must not wait for it as one still on its way.
     */
    boolean offer(Job job) {
        arriving.decrementAndGet();
        int n = job.sequences().length;
        if (closing) return false;
        if (queuedTexts.addAndGet(n) > settings.queueTexts()) {
            queuedTexts.addAndGet(-n);
            return false;
        }
        if (!job.model().retain()) throw new IllegalStateException("a job's model must be held by its caller");
        jobs.add(job);
        return true;
    }

    /**
     * Takes back a job whose caller gave up (timeout): if no scorer has taken it yet, its texts
     * leave the queue at once (and stop counting against it) instead of when a scorer skips it.
     */
    void withdraw(Job job) {
        job.result().cancel(false);
        if (jobs.remove(job)) {
            queuedTexts.addAndGet(-job.sequences().length);
            job.model().release();
        }
    }

    /** The most texts that may wait at once (--queue). */
    int capacity() {
        return settings.queueTexts();
    }

    /** Texts accepted and not yet taken by a scorer. */
    int queuedTexts() {
        return queuedTexts.get();
    }

    private Job take() throws InterruptedException {
        Job job = jobs.poll(100, TimeUnit.MILLISECONDS);
        if (job != null) queuedTexts.addAndGet(-job.sequences().length);
        return job;
    }

    private void oneByOneLoop() {
        while (!closing || !jobs.isEmpty()) {
            Job job;
            try {
                job = take();
            } catch (InterruptedException e) {
                continue;  // close() decides when to stop
            }
            if (job == null) continue;
            try {
                List<Classification> out = new ArrayList<>(job.sequences().length);
                for (int[] ids : job.sequences()) {
                    // Done already (timed out): nobody waits for it; checked at every text, as the batch loop checks at every batch.
                    if (job.result().isDone()) break;
                    out.add(job.model().classifier.classifySequence(ids));
                    metrics.batchScored(1);  // each text is a scoring run of its own here, whatever the request held
                }
                job.result().complete(out);
            } catch (RuntimeException | Error e) {
                job.result().completeExceptionally(e);
            } finally {
                job.model().release();
            }
        }
    }

    /**
     * Texts {@code [from, to)} of a job, scored in one batch. A job with more texts than a batch
     * has room for is scored in several slices, in order; {@code scored} gathers its results
     * across them, and the job is answered with its last slice.
     */
    private record Slice(Job job, int from, int to, Classification[] scored) {
        static Slice whole(Job job) {
            return new Slice(job, 0, job.sequences().length, new Classification[job.sequences().length]);
        }

        int size() { return to - from; }

        boolean last() { return to == job.sequences().length; }

        /** This slice cut to at most {@code room} texts. */
        Slice head(int room) { return size() <= room ? this : new Slice(job, from, from + room, scored); }

        /** What is left after {@code head(room)}, or null. */
        Slice rest(int room) { return size() <= room ? null : new Slice(job, from + room, to, scored); }
    }

    /**
     * Collects batches of at most {@code maxBatch} texts and scores them. A request's texts may be
     * split between batches: the part that does not fit starts the next batch, ahead of any later
     * request, so a batch never holds more than {@code maxBatch} texts (the batch kernels' memory
     * and a batch's latency grow with it) whatever a request holds.
     */
    private void batchLoop() {
        List<Slice> batch = new ArrayList<>();
        Slice rest = null;  // what the last batch had no room for
        while (!closing || !jobs.isEmpty() || rest != null) {
            batch.clear();
            int room = settings.maxBatch();
            try {
                Slice first = rest;
                rest = null;
                if (first != null) queuedTexts.addAndGet(-first.size());  // taken now (see below)
                if (first != null && first.job().result().isDone()) {  // its request timed out: nobody waits for the rest
                    first.job().model().release();
                    first = null;
                }
                if (first == null) {
                    Job job = take();
                    if (job == null) continue;
                    first = Slice.whole(job);
                }
                batch.add(first.head(room));
                rest = first.rest(room);
                room -= batch.getLast().size();
                if (rest != null) queuedTexts.addAndGet(rest.size());  // not scored yet: it counts against --queue and in the metric
                long deadline = System.nanoTime() + settings.batchWait().toNanos();
                while (room > 0) {
                    Job next = jobs.poll();  // what is waiting already
                    if (next == null) {
                        // Wait only for requests on their way (their bodies read, being tokenized): a
                        // lone client must not pay the batch wait on every request, nor may a
                        // stalled upload or a metrics scrape make every batch wait.
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || arriving.get() == 0) break;
                        next = jobs.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) break;
                    }
                    queuedTexts.addAndGet(-next.sequences().length);
                    Slice whole = Slice.whole(next);
                    batch.add(whole.head(room));
                    rest = whole.rest(room);
                    room -= batch.getLast().size();
                    if (rest != null) queuedTexts.addAndGet(rest.size());
                }
            } catch (InterruptedException e) {
                // close() decides when to stop; score what was collected
            }
            try {
                scoreTogether(batch);
            } finally {
                for (Slice slice : batch) if (slice.last()) slice.job().model().release();  // the job has left the queue
            }
        }
    }

    /** Scores the batch's slices as one batch per model (a reload may leave two models in one batch). */
    private void scoreTogether(List<Slice> batch) {
        Map<LoadedModel, List<Slice>> byModel = new IdentityHashMap<>();
        for (Slice slice : batch) {
            if (!slice.job().result().isDone()) byModel.computeIfAbsent(slice.job().model(), m -> new ArrayList<>()).add(slice);
        }
        for (Map.Entry<LoadedModel, List<Slice>> group : byModel.entrySet()) {
            List<Slice> slices = group.getValue();
            try {
                int total = 0;
                for (Slice slice : slices) total += slice.size();
                int[][] all = new int[total][];
                int at = 0;
                for (Slice slice : slices) for (int i = slice.from(); i < slice.to(); i++) all[at++] = slice.job().sequences()[i];
                // One text alone goes through the batch-1 kernels, which skip its padding.
                List<Classification> scored = total == 1
                        ? List.of(group.getKey().classifier.classifySequence(all[0]))
                        : group.getKey().classifier.classifySequences(all);
                metrics.batchScored(total);
                at = 0;
                for (Slice slice : slices) {
                    for (int i = slice.from(); i < slice.to(); i++) slice.scored()[i] = scored.get(at++);
                    if (slice.last()) slice.job().result().complete(List.of(slice.scored()));
                }
            } catch (RuntimeException | Error e) {
                for (Slice slice : slices) slice.job().result().completeExceptionally(e);
            }
        }
    }

    /** Stops taking jobs, lets the scorers finish what is queued, and waits for them. */
    @Override
    public void close() {
        closing = true;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
