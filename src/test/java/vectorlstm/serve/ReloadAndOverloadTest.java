package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.serve.ServeFixture.classify;
import static vectorlstm.serve.ServeFixture.get;
import static vectorlstm.serve.ServeFixture.postJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.TextClassifier;

/** Hot reload (good, bad, concurrent, file overwritten in place), dynamic batching, a full queue and a timeout. */
class ReloadAndOverloadTest {
    @TempDir Path dir;

    private static ServerSettings settings(int maxBatch, int maxTexts, int queueTexts, Duration timeout) {
        return ServeFixture.settings(maxBatch, 1 << 20, maxTexts, queueTexts, timeout);
    }

    private static String served(int port) throws Exception {
        return (String) get(port, ScoringServer.MODEL).map().get("sha256");
    }

    @Test
    void reloadSwapsTheModelAndABadFileIsRefusedWhileTheOldOneServes() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        Path other = ServeFixture.savedModel(dir.resolve("other.vlstm"), 4);
        try (ScoringServer server = ScoringServer.start(file, settings(1, 100, 400, Duration.ofSeconds(20)), line -> {})) {
            int port = server.port();
            String first = served(port);
            Object before = classify(port, Map.of("text", "w7 w3 w9")).map().get("probability");

            // A corrupt file in its place: refused, the old model goes on answering the same.
            Files.write(dir.resolve("corrupt"), "not a model".getBytes());
            Files.move(dir.resolve("corrupt"), file, StandardCopyOption.REPLACE_EXISTING);
            ServeFixture.Answer refused = postJson(port, ScoringServer.RELOAD, "");
            assertEquals(422, refused.status(), refused.text());
            assertTrue(refused.error().contains("still serving the old model"), refused.error());
            assertEquals(first, served(port));
            assertEquals(before, classify(port, Map.of("text", "w7 w3 w9")).map().get("probability"));

            // A truncated copy of a real model: refused the same way.
            byte[] real = Files.readAllBytes(other);
            Files.write(file, java.util.Arrays.copyOf(real, real.length / 2));
            assertEquals(422, postJson(port, ScoringServer.RELOAD, "").status());

            // The file gone, or a folder in its place: refused by the user's path, never the private snapshot's.
            Files.delete(file);
            ServeFixture.Answer gone = postJson(port, ScoringServer.RELOAD, "");
            assertEquals(422, gone.status(), gone.text());
            assertTrue(gone.error().contains(file + ": no such file"), gone.error());
            Files.createDirectory(file);
            ServeFixture.Answer folder = postJson(port, ScoringServer.RELOAD, "");
            assertTrue(folder.error().contains(file + " is a directory, not a model file") && !folder.error().contains("vlstm-serving-"), folder.error());
            Files.delete(file);
            // A pipe in its place: refused at once (the copy into the snapshot used to block on it forever).
            Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
            assertEquals(0, mkfifo.waitFor());
            ServeFixture.Answer pipe = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> postJson(port, ScoringServer.RELOAD, ""));
            assertEquals(422, pipe.status(), pipe.text());
            assertTrue(pipe.error().contains(file + " is not a regular file"), pipe.error());
            Files.delete(file);

            // The other model: swapped in, and it answers as that model does.
            Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
            ServeFixture.Answer ok = postJson(port, ScoringServer.RELOAD, "");
            assertEquals(200, ok.status(), ok.text());
            assertNotEquals(first, served(port));
            try (TextClassifier expected = TextClassifier.load(other)) {
                assertEquals(expected.classify("w7 w3 w9").probability(), ((Number) classify(port, Map.of("text", "w7 w3 w9")).map().get("probability")).floatValue(), 0f);
            }
            String metrics = get(port, ScoringServer.METRICS).text();
            assertTrue(metrics.contains("vlstm_model_reloads_total{result=\"ok\"} 1"), metrics);
            assertTrue(metrics.contains("vlstm_model_reloads_total{result=\"refused\"} 5"), metrics);
        }
    }

    /**
     * A stop while a signal's reload runs (on a thread of its own) waits for it: the process
     * exited under it, its outcome never logged and its snapshot of the model left in
     * java.io.tmpdir for good (a SIGHUP, then a SIGTERM 0.15 s later, three times of three).
     */
    @Test
    void aStopWaitsForARunningReload() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScoringServer server = ScoringServer.start(file, settings(1, 100, 400, Duration.ofSeconds(20)), log::add);
        Runnable running = server.holdReloadForTests();
        Thread stopper = Thread.ofPlatform().start(server::stop);
        try {
            stopper.join(500);
            assertTrue(stopper.isAlive(), "the stop waits while the reload runs: " + log);
            assertTrue(log.stream().noneMatch(l -> l.startsWith("stopped:")), log.toString());
        } finally {
            running.run();
        }
        stopper.join(20_000);
        assertTrue(!stopper.isAlive(), "the stop ends once the reload is done");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("stopped:")), log.toString());
    }

    /**
     * SIGHUPs that arrive while a reload runs (a user who copies a file and signals, then does it
     * again): the file on disk at the end is the one served, and the signals become one more reload.
     */
    @Test
    void signalledReloadsDuringARunningReloadEndOnTheFileOnDisk() throws Exception {
        // Before: such a SIGHUP was refused as a 409, which nobody logged or saw: the old file went on serving.
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        Path other = ServeFixture.savedModel(dir.resolve("other.vlstm"), 4);
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ScoringServer server = ScoringServer.start(file, settings(1, 100, 400, Duration.ofSeconds(20)), log::add)) {
            int port = server.port();
            String first = served(port);
            Thread signalled;
            Runnable running = server.holdReloadForTests();  // a reload in progress, as one asked over HTTP
            try {
                signalled = Thread.ofPlatform().start(server::reloadOnSignal);
                ServeFixture.await("the signalled reload waits for the running one (or gave up)",
                        () -> signalled.getState() == Thread.State.WAITING || !signalled.isAlive());
                server.reloadOnSignal();  // two more while it waits: they return at once
                server.reloadOnSignal();
                Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                running.run();
            }
            signalled.join(20_000);
            assertTrue(!signalled.isAlive(), "the signalled reloads are done");
            assertEquals(ScoringServerTestSupport.sha256(other), served(port), "the file on disk is served (first: " + first + ")");
            String metrics = get(port, ScoringServer.METRICS).text();
            assertTrue(metrics.contains("vlstm_model_reloads_total{result=\"ok\"} 2"), "three signals: the first reload and one more\n" + metrics);
            assertTrue(log.stream().anyMatch(l -> l.contains("read again")), "the signals that arrived meanwhile are logged: " + log);
        }
    }

    @Test
    void aRetiredModelClosesWhenItsLastRequestIsDoneAndNotBefore() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(1, 100, 400, Duration.ofSeconds(20)), line -> {})) {
            LoadedModel old = server.servedModelForTests();
            assertTrue(old.retain());  // a request still running on the old model
            assertEquals(200, postJson(server.port(), ScoringServer.RELOAD, "").status());
            assertNotEquals(old, server.servedModelForTests());
            old.classifier.classify("w7 w1");  // still open for that request
            old.release();                     // its last request is done
            assertThrows(IllegalStateException.class, () -> old.classifier.classify("w7 w1"), "closed after its last request");
            assertTrue(!old.retain(), "a closed model cannot be taken again");
        }
    }

    @Test
    void theServedFileOverwrittenInPlaceDoesNotTouchTheRunningModel() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(1, 100, 400, Duration.ofSeconds(20)), line -> {});
             TextClassifier expected = TextClassifier.load(ServeFixture.savedModel(dir.resolve("copy.vlstm"), 3))) {
            Files.write(file, new byte[10]);  // truncates and writes in place: a mapped served file would lose its pages
            for (String t : ServeFixture.texts(20, 5)) {
                assertEquals(expected.classify(t).probability(), ((Number) classify(server.port(), Map.of("text", t)).map().get("probability")).floatValue(), 0f);
            }
        }
    }

    @Test
    void concurrentReloadsUnderLoadLoseNoRequest() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(1, 100, 4000, Duration.ofSeconds(30)), line -> {})) {
            int port = server.port();
            ExecutorService pool = Executors.newFixedThreadPool(12);
            int reloaded = 0;
            try {
                List<Future<Integer>> reloads = new ArrayList<>(), classified = new ArrayList<>();
                for (int i = 0; i < 40; i++) reloads.add(pool.submit(() -> postJson(port, ScoringServer.RELOAD, "").status()));
                for (int i = 0; i < 400; i++) {
                    List<String> texts = ServeFixture.texts(3, i);
                    classified.add(pool.submit(() -> classify(port, Map.of("texts", texts)).status()));
                }
                for (Future<Integer> f : classified) assertEquals(200, f.get());
                for (Future<Integer> f : reloads) {
                    int status = f.get();
                    assertTrue(status == 200 || status == 409, "a reload is done (200) or refused while another runs (409): " + status);
                    if (status == 200) reloaded++;
                }
            } finally {
                pool.shutdown();
            }
            assertTrue(reloaded >= 1);
            String metrics = get(port, ScoringServer.METRICS).text();
            assertTrue(metrics.contains("vlstm_model_reloads_total{result=\"ok\"} " + reloaded), metrics);
            // A reload turned away while another ran (409) is no refused file: that counter is for files that fail.
            assertTrue(metrics.contains("vlstm_model_reloads_total{result=\"refused\"} 0"), metrics);
            ScoringServerTestSupport.assertHealthy(port);
        }
    }

    @Test
    void dynamicBatchingAnswersAsTheBatchPathDoes() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(32, 100, 4000, Duration.ofSeconds(30)), line -> {});
             TextClassifier expected = TextClassifier.load(file)) {
            int port = server.port();
            List<String> texts = ServeFixture.texts(200, 8);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<ServeFixture.Answer>> answers = new ArrayList<>();
                for (String t : texts) answers.add(pool.submit(() -> classify(port, Map.of("text", t))));
                for (int i = 0; i < texts.size(); i++) {
                    ServeFixture.Answer a = answers.get(i).get();
                    assertEquals(200, a.status(), a.text());
                    // batch kernels sum in another order than the one-text kernels: 1e-5, as TextClassifier documents
                    assertEquals(expected.classify(texts.get(i)).probability(), ((Number) a.map().get("probability")).floatValue(), 1e-5, "text " + i);
                }
            } finally {
                pool.shutdown();
            }
            String metrics = get(port, ScoringServer.METRICS).text();
            long texts_ = ScoringServerTest.metric(metrics, "vlstm_texts_scored_total"), batches = ScoringServerTest.metric(metrics, "vlstm_scoring_batches_total");
            assertTrue(batches < texts_, "16 clients at once must share batches: " + batches + " batches for " + texts_ + " texts");
        }
    }

    @Test
    void aBatchNeverHoldsMoreThanMaxBatchTexts() throws Exception {
        // Before: --max-batch 2 scored one request of 10 texts as one batch of 10 (a batch took whole requests).
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(2, 100, 400, Duration.ofSeconds(30)), line -> {});
             TextClassifier expected = TextClassifier.load(file)) {
            int port = server.port();
            List<String> texts = ServeFixture.texts(10, 11);
            ServeFixture.Answer a = classify(port, Map.of("texts", texts));
            assertEquals(200, a.status(), a.text());
            assertInOrder(expected, texts, a);
            String metrics = get(port, ScoringServer.METRICS).text();
            assertEquals(10, ScoringServerTest.metric(metrics, "vlstm_texts_scored_total"));
            assertEquals(5, ScoringServerTest.metric(metrics, "vlstm_scoring_batches_total"), "10 texts in batches of at most 2");
            // The part of a request left for later batches counts as queued until it is taken, and not after.
            assertEquals(0, ScoringServerTest.metric(metrics, "vlstm_queued_texts"), "every text was taken");
        }
    }

    @Test
    void requestsSplitAcrossBatchesEachGetTheirOwnTextsInOrder() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(3, 100, 4000, Duration.ofSeconds(30)), line -> {});
             TextClassifier expected = TextClassifier.load(file)) {
            int port = server.port();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<List<String>> requests = new ArrayList<>();
                List<Future<ServeFixture.Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    List<String> texts = ServeFixture.texts(1 + i % 7, 100 + i);
                    requests.add(texts);
                    answers.add(pool.submit(() -> classify(port, Map.of("texts", texts))));
                }
                for (int i = 0; i < requests.size(); i++) assertInOrder(expected, requests.get(i), answers.get(i).get());
            } finally {
                pool.shutdown();
            }
            String metrics = get(port, ScoringServer.METRICS).text();
            assertEquals(0, ScoringServerTest.metric(metrics, "vlstm_queued_texts"), "split parts counted in and out once each");
            long texts = ScoringServerTest.metric(metrics, "vlstm_texts_scored_total"), batches = ScoringServerTest.metric(metrics, "vlstm_scoring_batches_total");
            assertTrue(batches * 3 >= texts, batches + " batches of at most 3 cannot hold " + texts + " texts");
        }
    }

    private static void assertInOrder(TextClassifier expected, List<String> texts, ServeFixture.Answer a) {
        assertEquals(200, a.status(), a.text());
        List<?> results = (List<?>) a.map().get("results");
        assertEquals(texts.size(), results.size());
        for (int i = 0; i < texts.size(); i++) {
            // batch kernels sum in another order than the one-text kernels: 1e-5, as TextClassifier documents
            float got = ((Number) ((Map<?, ?>) results.get(i)).get("probability")).floatValue();
            assertEquals(expected.classify(texts.get(i)).probability(), got, 1e-5, "text " + i + " of " + texts.size());
        }
    }

    /**
     * Dynamic batching waits only for requests whose bodies are read: an upload that stalls (or a
     * metrics scrape) must not make a lone client wait the whole batch wait on every request.
     */
    @Test
    void aStalledUploadDoesNotMakeALoneClientWaitForTheBatch() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        ServerSettings longWait = new ServerSettings("127.0.0.1", 0, 2, 32, Duration.ofSeconds(1), 100 << 10, 100, 5_000, 4000,
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (ScoringServer server = ScoringServer.start(file, longWait, line -> {})) {
            int port = server.port();
            assertEquals(200, classify(port, Map.of("text", "w1")).status());  // warm
            try (java.net.Socket stalled = new java.net.Socket("127.0.0.1", port)) {
                stalled.getOutputStream().write(("POST " + ScoringServer.CLASSIFY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"te").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                stalled.getOutputStream().flush();
                ServeFixture.await("the stalled upload's handler started", () -> server.inFlightForTests() == 1);
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    ServeFixture.Answer lone = classify(port, Map.of("text", "w7"));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(200, lone.status(), lone.text());
                    // With the stall counted, every batch waited its full second.
                    assertTrue(millis < 500, "a lone client waited " + millis + " ms beside a stalled upload (request " + (i + 1) + ")");
                }
            }
        }
    }

    @Test
    void thePartOfARequestLeftForALaterBatchCountsAsQueued() throws Exception {
        // It left the count when its request was taken, so --queue and vlstm_queued_texts missed up to --max-texts texts.
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        try (ScoringServer server = ScoringServer.start(file, settings(8, 100, 400, Duration.ofSeconds(30)), line -> {})) {
            int port = server.port();
            LoadedModel served = ScoringServerTestSupport.servedModel(server);
            ExecutorService pool = Executors.newFixedThreadPool(1);
            try {
                Future<ServeFixture.Answer> answer;
                synchronized (served.classifier.model()) {  // the collector takes 8 of the 10 texts, then waits for the model
                    answer = pool.submit(() -> classify(port, Map.of("texts", ServeFixture.texts(10, 1))));
                    ServeFixture.await("the collector took the first 8 texts", () -> server.inFlightForTests() == 1 && server.queuedTextsForTests() == 2);
                }
                assertEquals(200, answer.get().status());
                ServeFixture.await("the last 2 were taken", () -> server.queuedTextsForTests() == 0);
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aFullQueueIs503AtOnceAndASlowAnswerIs503AfterTheTimeout() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        // Batching: the collector scores through the model's synchronized batch path, so holding the
        // model's lock here stalls scoring deterministically while requests pile up.
        try (ScoringServer server = ScoringServer.start(file, settings(8, 10, 10, Duration.ofMillis(1500)), line -> {})) {
            int port = server.port();
            LoadedModel served = ScoringServerTestSupport.servedModel(server);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                synchronized (served.classifier.model()) {
                    // the first (one batch of 8: a part left for a later batch would count as queued) is taken by the collector,
                    // which then waits for the lock; the second fills the queue's 10 texts
                    Future<ServeFixture.Answer> scoring = pool.submit(() -> classify(port, Map.of("texts", ServeFixture.texts(8, 1))));
                    ServeFixture.await("the collector took the first request", () -> server.inFlightForTests() == 1 && server.queuedTextsForTests() == 0);
                    Future<ServeFixture.Answer> queued = pool.submit(() -> classify(port, Map.of("texts", ServeFixture.texts(10, 2))));
                    ServeFixture.await("the second request fills the queue", () -> server.queuedTextsForTests() == 10);
                    ServeFixture.Answer busy = classify(port, Map.of("text", "w7"));
                    assertEquals(503, busy.status(), busy.text());
                    // The limit, not a count read after the refusal (under load it said "busy: 0 texts are waiting").
                    assertEquals("busy: the queue holds at most 10 waiting texts, and this request's 1 did not fit; retry later", busy.error());
                    assertEquals(List.of("1"), busy.headers().get("retry-after"));
                    for (Future<ServeFixture.Answer> f : List.of(scoring, queued)) {
                        ServeFixture.Answer late = f.get();
                        assertEquals(503, late.status(), late.text());
                        assertTrue(late.error().contains("not answered within 1500 ms"), late.error());
                        assertEquals(List.of("1"), late.headers().get("retry-after"), "a timeout says when to retry, as busy does");
                    }
                }
            } finally {
                pool.shutdown();
            }
            ScoringServerTestSupport.assertHealthy(port);
        }
    }

    /**
     * A stop whose grace period runs out while a request waits for its scores: the request is
     * answered 503 ("shutting down"). The connections were closed first and the handlers
     * interrupted after, so such a request had its connection cut with no answer.
     */
    @Test
    void aRequestStillWaitingWhenTheGraceRunsOutIsAnswered503() throws Exception {
        Path file = ServeFixture.savedModel(dir.resolve("served.vlstm"), 3);
        ServerSettings oneSecondGrace = new ServerSettings("127.0.0.1", 0, 2, 8, Duration.ofMillis(1), 1 << 20, 10, 5_000, 100,
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(1));
        ScoringServer server = ScoringServer.start(file, oneSecondGrace, line -> {});
        int port = server.port();
        LoadedModel served = ScoringServerTestSupport.servedModel(server);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ServeFixture.Answer> waiting;
            synchronized (served.classifier.model()) {  // the batch path takes the model's lock: scoring stalls here
                waiting = pool.submit(() -> classify(port, Map.of("texts", ServeFixture.texts(2, 1))));
                ServeFixture.await("the collector took the request", () -> server.inFlightForTests() == 1 && server.queuedTextsForTests() == 0);
                pool.submit(server::stop);
                ServeFixture.Answer answer = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(503, answer.status(), answer.text());
                assertEquals("the server is shutting down", answer.error());
            }
        } finally {
            pool.shutdown();
            server.close();
        }
    }
}
