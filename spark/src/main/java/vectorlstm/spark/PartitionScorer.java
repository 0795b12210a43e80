package vectorlstm.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;

/**
 * Scores one partition: reads {@code batch} rows at a time, turns their texts into the model's
 * inputs on the task's thread, scores them in one call of the engine's batch path, and hands out
 * the rows with label, probability and known-word count appended. Lazy, so a partition of any size
 * holds one batch in memory.
 *
 * <p>A null text gives nulls in the three columns (SQL's null in, null out); an empty text, or one
 * with no word the model knows, is scored as the model scores only padding, with 0 known words, as
 * {@link TextClassifier#classify(String)} does: filter on {@code known_words = 0} to drop them.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private final ModelRef model;
    private final int textIndex, batch, threads;
    private final ScoringCounters counters;

    PartitionScorer(ModelRef model, int textIndex, int batch, int threads, ScoringCounters counters) {
        this.model = model;
        this.textIndex = textIndex;
        this.batch = batch;
        this.threads = threads;
        this.counters = counters;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private List<Row> scored = List.of();
            private int next;
            private TextClassifier classifier;  // taken with the first row: an empty partition needs no model

            @Override
            public boolean hasNext() {
                if (next < scored.size()) return true;
                if (!rows.hasNext()) return false;
                if (classifier == null) classifier = ExecutorModels.get(model, threads);
                scored = scoreBatch(classifier, rows);
                next = 0;
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return scored.get(next++);
            }
        };
    }

    private List<Row> scoreBatch(TextClassifier classifier, Iterator<Row> rows) {
        List<Row> in = new ArrayList<>(Math.min(batch, 4096));  // grows to the batch only when the partition has the rows
        while (in.size() < batch && rows.hasNext()) in.add(rows.next());

        long start = System.nanoTime();
        List<int[]> inputs = new ArrayList<>(in.size());
        boolean[] scoredRow = new boolean[in.size()];
        int refused = 0;
        for (int i = 0; i < in.size(); i++) {
            Row row = in.get(i);
            if (row.isNullAt(textIndex)) continue;
            try {
                inputs.add(classifier.sequence(row.getString(textIndex)));
                scoredRow[i] = true;
            } catch (IllegalArgumentException e) {
                refused++;  // too long for a model of any length: this row's scores are null, the others' are not lost
            }
        }
        long tokenized = System.nanoTime(), scoring;
        List<Classification> answers;
        // The executor's tasks share one model, whose batch path runs one call at a time on all the
        // executor's cores; taking the turn here splits the waiting from the scoring in the counters.
        synchronized (classifier) {
            scoring = System.nanoTime();
            answers = classifier.classifySequences(inputs.toArray(int[][]::new));
        }
        long done = System.nanoTime();
        counters.add(in.size(), in.size() - inputs.size() - refused, refused, tokenized - start, scoring - tokenized, done - scoring);

        List<Row> out = new ArrayList<>(in.size());
        int answer = 0;
        for (int i = 0; i < in.size(); i++) {
            Classification c = scoredRow[i] ? answers.get(answer++) : null;
            out.add(withScores(in.get(i), c));
        }
        return out;
    }

    /** The row's own values, then label, probability and known words (all null for a null or refused text). */
    private static Row withScores(Row row, Classification c) {
        int n = row.length();
        Object[] values = new Object[n + 3];
        for (int i = 0; i < n; i++) values[i] = row.get(i);
        if (c != null) {
            values[n] = c.label();
            values[n + 1] = c.probability();
            values[n + 2] = c.knownWords();
        }
        return RowFactory.create(values);
    }
}
