package vectorlstm.servecmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;

/**
 * The classify request without HTTP: the same bodies wrk sends, parsed, scored and answered on one
 * thread, each step timed. Subtracted from the 1-connection latency it gives the HTTP share.
 * Usage: InProcess MODEL BODIES.jsonl [warmupSeconds measureSeconds]
 */
public final class InProcess {
    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        List<byte[]> bodies = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8).stream()
                .map(line -> line.getBytes(StandardCharsets.UTF_8)).toList();
        long warmup = args.length > 2 ? Long.parseLong(args[2]) : 10;
        long measure = args.length > 3 ? Long.parseLong(args[3]) : 20;
        try (TextClassifier classifier = TextClassifier.load(model)) {
            run(classifier, bodies, warmup);
            long[][] times = run(classifier, bodies, measure);
            String[] names = {"parse", "classify", "write", "total"};
            System.out.printf("in-process, 1 thread, %d requests in %d s%n", times[0].length, measure);
            System.out.printf("%-9s %10s %10s %10s%n", "step", "mean µs", "p50 µs", "p99 µs");
            for (int k = 0; k < names.length; k++) {
                long[] t = times[k];
                Arrays.sort(t);
                System.out.printf("%-9s %10.1f %10.1f %10.1f%n", names[k], Arrays.stream(t).average().orElse(0) / 1e3,
                        t[t.length / 2] / 1e3, t[(int) (t.length * 0.99)] / 1e3);
            }
        }
    }

    /** parse, classify, write and total nanoseconds of every request made within {@code seconds}. */
    private static long[][] run(TextClassifier classifier, List<byte[]> bodies, long seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[][] t = new long[4][1 << 16];
        int n = 0;
        long sink = 0;
        while (System.nanoTime() < end && n < t[0].length) {
            byte[] body = bodies.get(n % bodies.size());
            long t0 = System.nanoTime();
            String text = ClassifyJson.text(body);
            long t1 = System.nanoTime();
            Classification c = classifier.classify(text);
            long t2 = System.nanoTime();
            sink += ClassifyJson.response(c).length;
            long t3 = System.nanoTime();
            t[0][n] = t1 - t0;
            t[1][n] = t2 - t1;
            t[2][n] = t3 - t2;
            t[3][n] = t3 - t0;
            n++;
        }
        if (sink == 42) System.out.println();  // keeps the responses alive
        for (int k = 0; k < 4; k++) t[k] = Arrays.copyOf(t[k], n);
        return t;
    }
}
