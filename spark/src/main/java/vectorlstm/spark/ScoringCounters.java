package vectorlstm.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What the tasks report back to the driver through Spark's accumulators: rows, null texts, texts
 * the model refused (too long for a model of any length: their scores are null), and the
 * time spent turning texts into inputs (on the tasks' threads, side by side), waiting for the
 * executor's model, and in it (one call at a time per executor, each on all its cores), summed over
 * tasks. The job prints them to show where the time went. A retried task counts twice: these are
 * for the report, never for the results.
 */
public final class ScoringCounters implements Serializable {
    private final LongAccumulator rows, nullTexts, refusedTexts, tokenizeNanos, waitNanos, modelNanos;

    ScoringCounters(SparkContext sc) {
        rows = sc.longAccumulator("vlstm rows");
        nullTexts = sc.longAccumulator("vlstm null texts");
        refusedTexts = sc.longAccumulator("vlstm refused texts");
        tokenizeNanos = sc.longAccumulator("vlstm tokenize ns");
        waitNanos = sc.longAccumulator("vlstm wait for the model ns");
        modelNanos = sc.longAccumulator("vlstm model ns");
    }

    void add(long rows, long nullTexts, long refusedTexts, long tokenizeNanos, long waitNanos, long modelNanos) {
        this.rows.add(rows);
        this.nullTexts.add(nullTexts);
        this.refusedTexts.add(refusedTexts);
        this.tokenizeNanos.add(tokenizeNanos);
        this.waitNanos.add(waitNanos);
        this.modelNanos.add(modelNanos);
    }

    public long rows() { return rows.value(); }
    public long nullTexts() { return nullTexts.value(); }
    public long refusedTexts() { return refusedTexts.value(); }
    public double tokenizeSeconds() { return tokenizeNanos.value() / 1e9; }
    public double waitSeconds() { return waitNanos.value() / 1e9; }
    public double modelSeconds() { return modelNanos.value() / 1e9; }
}
