package vectorlstm.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opt-in soak loop, not a test (surefire runs {@code *Test} only): {@link GracefulShutdownTest}'s
 * scenario in one process, many times, to measure how often a stop loses an accepted request. The
 * race it found lost a request in 1 to 2 stops in 100 (5 with two threads burning CPU), too rare for one
 * test run to show. After {@code mvn test-compile}:
 *
 * <pre>
 *   mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *       vectorlstm.serve.ShutdownSoak 200 [BURNERS]
 * </pre>
 *
 * Each run: a server (2 scoring threads), 16 clients on the shared HTTP/1.1 client for 0.2 to 0.8 s,
 * then {@link ScoringServer#stop()}. BURNERS threads spin meanwhile, as other work on a CI machine.
 */
public final class ShutdownSoak {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int burners = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        AtomicBoolean burn = new AtomicBoolean(true);
        for (int b = 0; b < burners; b++) Thread.ofPlatform().daemon().start(() -> { long x = 0; while (burn.get()) x += System.nanoTime() & 1; });
        Path model = ServeFixture.savedModel(Files.createTempDirectory("soak").resolve("m.vlstm"), 3);
        ServerSettings d = ServerSettings.defaults();
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, 2, d.maxBatch(), d.batchWait(), d.maxBodyBytes(), d.maxTexts(), d.maxTextChars(),
                d.queueTexts(), d.requestTimeout(), d.readTimeout(), d.shutdownGrace());
        Random r = new Random(42);
        int acceptedMismatch = 0, receivedMismatch = 0;
        long longestStop = 0;
        for (int run = 0; run < runs; run++) {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            ScoringServer server = ScoringServer.start(model, settings, log::add);
            AtomicBoolean go = new AtomicBoolean(true);
            ServeFixture.Tally tally = new ServeFixture.Tally();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 16; c++) clients.add(ServeFixture.loadClient(server.port(), c, go, tally, () -> false));
            Thread.sleep(200 + r.nextInt(600));
            long start = System.nanoTime();
            Thread stopper = Thread.ofPlatform().start(server::stop);  // as the signal handler does
            stopper.join();
            long stopMillis = (System.nanoTime() - start) / 1_000_000;
            longestStop = Math.max(longestStop, stopMillis);
            go.set(false);
            for (Thread t : clients) t.join(30_000);
            long accepted = server.acceptedRequests(), answered = server.answeredRequests();
            int received = tally.received();
            if (accepted != answered) acceptedMismatch++;
            if (answered != received) receivedMismatch++;
            System.out.printf("run %d: accepted %d answered %d received %d (ok %d, 503 %d, other %d, refused %d, stop %d ms)%s%n", run, accepted, answered,
                    received, tally.ok.get(), tally.busy.get(), tally.other.get(), tally.refused.get(), stopMillis,
                    accepted != answered || answered != received ? "  <-- MISMATCH " + log.getLast() : "");
        }
        burn.set(false);
        System.out.printf("SUMMARY runs %d accepted!=answered %d answered!=received %d, longest stop %d ms%n", runs, acceptedMismatch, receivedMismatch, longestStop);
        System.exit(0);
    }
}
