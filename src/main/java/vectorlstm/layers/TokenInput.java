package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * The input side of a recurrent layer ({@link Lstm}, {@link Gru}) fed straight by an Embedding,
 * per token instead of per row. Its input projection {@code x·W + bias} has G gate columns (4H for
 * an LSTM, 3H for a GRU), and its rows depend only on the token. The same math as the row path,
 * with fewer flops when a batch uses few words against its rows (a worker's share of an IMDB
 * batch: about 1,500 words in 6,400 rows):
 * <ul>
 *   <li><em>forward</em>: the table {@code P = E·W + bias} is built once per batch, one row per
 *       word that occurs in the batch, and each step copies its rows' table rows into the gate
 *       buffer just before the step reads it, instead of {@code x·W} over all T·b rows;</li>
 *   <li><em>backward</em>: the same buffer (P is dead once forward is done) collects
 *       {@code S[v] = Σ dz} over the rows that read word v (dz: the gradient of x·W), added step
 *       by step in step order, then row order (so the sums are deterministic) while the step's dz
 *       is in cache. Then {@code dW += Eᵀ·S}, {@code dbias += Σ_v S[v]} and {@code dE += S·Wᵀ}
 *       run over those words instead of T·b rows, and the Embedding's scatter of dx is not needed.</li>
 * </ul>
 * Only the words present: a worker's share of an IMDB batch (32 reviews, about 6,400 real tokens)
 * holds about 1,500 of the 5,000 words, so the table, the sums and the three products over them
 * cost 30 % of what they would over the whole vocabulary (docs/performance-history.md). The words are
 * taken in ascending order, E's rows of them gathered into a block of their own, and their
 * {@code S·Wᵀ} scattered back to E's gradient. Each worker owns its table; the workers' gradients
 * are summed as before.
 */
final class TokenInput {
    private static final Kernels K = KernelProvider.get();

    /** [capacity, G], first {@link #words} rows used: E·W + bias after {@link #buildTable}, Σ dz per word during backward. */
    final Tensor table;
    final int vocab;
    private final int features;
    private final long rowBytes;
    /** [capacity, D], first {@link #words} rows used: E's rows of the words present. */
    private final Tensor presentEmbeddings;
    /** [capacity, D], first {@link #words} rows used: {@code S·Wᵀ}, scattered into dE after the tiles; null for inference. */
    private final Tensor presentGradient;
    /** word -> its row in the table, or -1 when the batch does not use it. */
    private final int[] rowOf;
    /** row -> word, ascending. */
    private final int[] wordOf;
    /** Words counted by the last {@link #choose}, in the table when it chose per token. */
    int words;
    private Tensor ids;            // int [b, T] of the next forward
    private Tensor embeddings;     // E [vocab, D]
    private Tensor dEmbeddings;    // dE [vocab, D], or null when the embedding is frozen
    /** Chosen by the last forward: whether it ran per token. */
    boolean active;

    /** Buffers for batches of up to {@code maxRows} staged rows (T x the largest batch) and G gate columns. */
    TokenInput(Slab slab, int vocab, long maxRows, int features, int gateColumns, boolean training) {
        int capacity = capacity(vocab, maxRows, features);
        this.vocab = vocab;
        this.features = features;
        this.table = slab.tensor(capacity, gateColumns);
        this.presentEmbeddings = slab.tensor(capacity, features);
        this.presentGradient = training ? slab.tensor(capacity, features) : null;
        this.rowBytes = (long) gateColumns * Float.BYTES;
        this.rowOf = new int[vocab];
        this.wordOf = new int[capacity];
    }

    /** Table rows for batches of up to maxRows rows: never more words than per token runs with. */
    static int capacity(int vocab, long maxRows, int features) {
        return (int) Math.max(1, Math.min(vocab, maxWords(maxRows, features)));
    }

    /**
     * The most words per token runs with, for a batch of {@code rows} rows and embeddings of D
     * features. It runs 3 products over the words' rows (the table, Eᵀ·S, S·Wᵀ) where the row path
     * runs 3 over the batch's rows (x·W, xᵀ·dz, dz·Wᵀ), plus a gather and a per-word sum of a
     * G-wide row for every batch row. Those cost about what 8/D of a row's 3 products do (measured
     * on the LSTM; both sides scale with G), so it pays below
     * {@code (1 - 8/D)·rows} words: measured at D = 32 (break-even at 3/4), 64 and 100 (still 1.05x
     * at 9/10) in docs/performance-history.md, "Per token on the words counted". Never below 3/4 of the
     * rows: below D = 32 the input side is a small part of a step whichever path runs (D against
     * the recurrent side's H per row), and the small models of the tests stay on the seed model's path.
     */
    static long maxWords(long rows, int features) { return Math.max(3 * rows / 4, rows - (8 * rows + features - 1) / features); }

    /**
     * Counts the words of staged rows 0..b-1 (and the padding id 0, whose row the shared padding's
     * Σ dz goes to) and chooses: true when per token pays for a batch of {@code rows} real rows,
     * the words then numbered in ascending order for {@link #buildTable}.
     */
    boolean choose(int b, long rows) {
        if (ids == null) return false;
        Arrays.fill(rowOf, -1);
        rowOf[0] = 0;
        int steps = ids.dim(1);
        MemorySegment idSeg = ids.segment();
        for (long i = 0, n = (long) b * steps; i < n; i++) rowOf[idSeg.getAtIndex(ValueLayout.JAVA_INT, i)] = 0;
        int n = 0;
        for (int v = 0; v < vocab; v++) if (rowOf[v] == 0) n++;
        words = n;
        if (n > maxWords(rows, features) || n > wordOf.length) return false;
        n = 0;
        for (int v = 0; v < vocab; v++) {
            if (rowOf[v] < 0) continue;
            rowOf[v] = n;
            wordOf[n++] = v;
        }
        return true;
    }

    /** D, the embedding's width. */
    int features() { return features; }

    void bind(Tensor ids, Tensor embeddings, Tensor dEmbeddings) {
        this.ids = ids;
        this.embeddings = embeddings;
        this.dEmbeddings = dEmbeddings;
    }

    /** The token of staged row {@code row} at step t. */
    private int id(int row, int t) {
        int steps = ids.dim(1);
        return ids.getInt((long) row * steps + t);
    }

    /** Float offset of word v's row in the table (v must be in the batch, or be the padding id 0). */
    long rowOffset(int v, int g) { return (long) rowOf[v] * g; }

    /** After {@link #choose} said yes: table = E·W + bias for the batch's words. */
    void buildTable(int g, MemorySegment w, MemorySegment bias) {
        int d = features, n = words;
        MemorySegment e = embeddings.segment(), ePresent = presentEmbeddings.segment(), p = table.segment();
        long eRow = (long) d * Float.BYTES;
        for (int r = 0; r < n; r++) MemorySegment.copy(e, wordOf[r] * eRow, ePresent, r * eRow, eRow);
        K.gemmOverwrite(n, g, d, ePresent, 0, d, 1, w, 0, g, p, 0, g);
        K.addRowVector(n, g, bias, 0, p, 0);
    }

    /** z rows [zRow, zRow + a) = the table rows of the tokens of staged rows 0..a-1 at step t. */
    void gather(int t, int a, MemorySegment z, long zRow) {
        MemorySegment p = table.segment();
        for (int i = 0; i < a; i++) MemorySegment.copy(p, rowOf[id(i, t)] * rowBytes, z, (zRow + i) * rowBytes, rowBytes);
    }

    /** Before backward's loop: the table's rows become the words' sums, from zero. */
    void clearSums() {
        table.segment().asSlice(0, words * rowBytes).fill((byte) 0);
    }

    /** S[token] += dz for staged rows 0..a-1 of step t (dz rows start at zRow). */
    void addStepSums(int t, int a, int g, MemorySegment dz, long zRow) {
        MemorySegment sums = table.segment();
        for (int i = 0; i < a; i++) K.axpy(g, 1f, dz, (zRow + i) * g, sums, (long) rowOf[id(i, t)] * g);
    }

    /** The present words' E rows [words, D] (for dW = Eᵀ·S). */
    MemorySegment presentEmbeddings() { return presentEmbeddings.segment(); }

    /** Where the tiles write {@code S·Wᵀ} [words, D], or null when the embedding is frozen. */
    MemorySegment presentGradient() { return dEmbeddings == null ? null : presentGradient.segment(); }

    /** After the tiles: dE[word] += (S·Wᵀ)[its row] for every present word. */
    void scatterEmbeddingGradient() {
        if (dEmbeddings == null) return;
        MemorySegment from = presentGradient.segment(), to = dEmbeddings.segment();
        for (int r = 0; r < words; r++) K.axpy(features, 1f, from, (long) r * features, to, (long) wordOf[r] * features);
    }
}
