package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * The input side of an {@link Lstm} fed straight by an Embedding, per token instead of per row.
 * The same math as the row path, with fewer flops when the vocabulary is small against the rows
 * (the seed model: 5,000 words against 16,000 rows per worker):
 * <ul>
 *   <li><em>forward</em>: the table {@code P = E·W + bias [vocab, 4H]} is built once per batch,
 *       and each step copies its rows' table rows into z just before {@code z += h·U} reads them,
 *       instead of {@code x·W} over all T·b rows;</li>
 *   <li><em>backward</em>: the same buffer (P is dead once forward is done) collects
 *       {@code S[v] = Σ dz} over the rows that read token v, added step by step in step order,
 *       then row order (so the sums are deterministic) while the step's dz is in cache. Then
 *       {@code dW += Eᵀ·S}, {@code dbias += Σ_v S[v]} and {@code dE += S·Wᵀ} run over vocab
 *       rows instead of T·b, and the Embedding's scatter of dx is not needed.</li>
 * </ul>
 * Each worker owns its table; the workers' gradients are summed as before.
 */
final class LstmTokenInput {
    private static final Kernels K = KernelProvider.get();

    /** [vocab, 4H]: E·W + bias after {@link #buildTable}, Σ dz per token during backward. */
    final Tensor table;
    final int vocab;
    private final long rowBytes;
    private Tensor ids;            // int [b, T] of the next forward
    private Tensor embeddings;     // E [vocab, D]
    private Tensor dEmbeddings;    // dE [vocab, D], or null when the embedding is frozen
    /** Chosen by the last forward: whether it ran per token. */
    boolean active;

    LstmTokenInput(Slab slab, int vocab, int units) {
        this.vocab = vocab;
        this.table = slab.tensor(vocab, 4 * units);
        this.rowBytes = 4L * units * Float.BYTES;
    }

    /**
     * Per token when the vocabulary is at most the batch's rows: it runs 3 products over the
     * vocabulary's rows (the table, Eᵀ·S, S·Wᵀ) where the row path runs 3 over the batch's rows
     * (x·W, xᵀ·dz, dz·Wᵀ), plus a gather and per-token sums over the rows. On IMDB-like batches
     * (most shares between one and one and a half vocabularies of rows) this bound measured 1.015x
     * and 1.03x a bound of two thirds of the rows, in two sittings; the demo's accuracy over 20 seeds
     * each way showed no difference (docs/performance.md, "The lower bound, settled").
     */
    static boolean worthIt(long vocab, long rows) { return vocab <= rows; }

    boolean worthIt(long rows) { return ids != null && worthIt(vocab, rows); }

    void bind(Tensor ids, Tensor embeddings, Tensor dEmbeddings) {
        this.ids = ids;
        this.embeddings = embeddings;
        this.dEmbeddings = dEmbeddings;
    }

    /** The Embedding's gradient that backward adds {@code S·Wᵀ} to, or null (frozen). */
    MemorySegment dEmbeddings() { return dEmbeddings == null ? null : dEmbeddings.segment(); }

    MemorySegment embeddings() { return embeddings.segment(); }

    /** The token of staged row {@code row} at step t. */
    private int id(int row, int t) {
        int steps = ids.dim(1);
        return ids.getInt((long) row * steps + t);
    }

    /** table = E·W + bias. */
    void buildTable(int d, int g4, MemorySegment w, MemorySegment bias) {
        MemorySegment p = table.segment();
        K.gemmOverwrite(vocab, g4, d, embeddings.segment(), 0, d, 1, w, 0, g4, p, 0, g4);
        K.addRowVector(vocab, g4, bias, 0, p, 0);
    }

    /** z rows [zRow, zRow + a) = the table rows of the tokens of staged rows 0..a-1 at step t. */
    void gather(int t, int a, MemorySegment z, long zRow) {
        MemorySegment p = table.segment();
        for (int i = 0; i < a; i++) MemorySegment.copy(p, id(i, t) * rowBytes, z, (zRow + i) * rowBytes, rowBytes);
    }

    /** S[token] += dz for staged rows 0..a-1 of step t (dz rows start at zRow). */
    void addStepSums(int t, int a, int g4, MemorySegment dz, long zRow) {
        MemorySegment sums = table.segment();
        for (int i = 0; i < a; i++) K.axpy(g4, 1f, dz, (zRow + i) * g4, sums, (long) id(i, t) * g4);
    }
}
