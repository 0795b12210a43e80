package vectorlstm.spark;

import java.nio.file.Path;
import java.util.Arrays;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.TextDataset;

/**
 * Not a test: what the batch path's idle row (PackedPredictor.evenRows, which makes a text's bits
 * independent of its batch) costs on real data, counted rather than timed. It replays the
 * predictor's walk over the IMDB test reviews (2 workers, chunks of 64 rows sorted by padding) and
 * counts the row-steps of the recurrent product with and without the idle row that odd counts get.
 * Arguments: MODEL [BATCH (rows per call, default 25,000: one call)].
 */
public final class IdleRowCount {
    private IdleRowCount() {}

    public static void main(String[] args) {
        TextDataset test = TestData.imdb().test();
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : test.size(), workers = 2, chunk = 64;
        try (TextClassifier c = TextClassifier.load(Path.of(args[0]))) {
            int n = test.size(), steps = c.maxlen();
            int[] pads = new int[n];
            for (int i = 0; i < n; i++) {
                int[] s = c.sequence(test.text(i));
                while (pads[i] < steps && s[pads[i]] == 0) pads[i]++;
            }
            long active = 0, idle = 0;
            for (int b = 0; b < n; b += batch) {
                int m = Math.min(batch, n - b), share = (m + workers - 1) / workers;
                for (int from = b; from < b + m; from += share) {
                    int to = Math.min(b + m, from + share);
                    for (int r = from; r < to; r += chunk) {
                        int[] p = Arrays.copyOfRange(pads, r, Math.min(to, r + chunk));
                        Arrays.sort(p);
                        int k = 0;
                        for (int t = p[0]; t < steps; t++) {
                            while (k < p.length && p[k] == t) k++;
                            active += k;
                            idle += k & 1;
                        }
                    }
                }
            }
            System.out.printf("batch %d: recurrent row-steps %,d, idle row-steps added %,d (%.2f %%)%n", batch, active, idle, 100.0 * idle / active);
        }
    }
}
