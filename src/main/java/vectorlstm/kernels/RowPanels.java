package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The batch-1 layout of an LSTM's recurrent kernel for the units [from, to): what a scorer's
 * step streams, once per time step, from L2. ({@link GateLayout} serves the multi-row steps of
 * batch prediction.)
 *
 * <p>The share's z is gate-major without padding between the gates, as the gate kernels read a
 * training row: gate g of unit {@code from + v} at {@code g·n + v}, n = to - from. Its 4n columns,
 * rounded up to whole vectors, are cut into <em>panels</em> of at most {@link #MAX_PANEL} vectors,
 * as equal as possible; each panel is stored k-major, {@code U'[p][k][column of the panel]}, and the
 * panels one after another. A step runs one panel at a time: per k one broadcast of h[k] and one
 * FMA per vector into accumulators held over all of k, the panel's bytes streamed front to back;
 * the panels first to last on even steps and last to first on odd ones, so that each step starts
 * with the panel (about 40 KB) that the step before read last, still in L1.
 *
 * <p>Why this shape (H = 100, 512 bits, AMD Zen 5; docs/performance-history.md, "The batch-1 step in
 * panels"): with the blocks of {@link GateLayout} (four gate vectors per k, 256 bytes) a step's
 * product plus its gates took about 1.56 us in a chained driver; with panels of 6-7 vectors (384-448
 * contiguous bytes per k, one broadcast per 6-7 FMAs) 1.27 us; the C mat-vec chain of the anchors'
 * roofline needs 1.0 us for the product alone, about what streaming 160 KB from L2 costs here.
 * Eight vectors keep the kernel within the JIT's comfortable size at every width (8 accumulators, a
 * broadcast and a load fit AVX2's 16 registers too).
 *
 * <p>Every column is one FMA chain over k in order, seeded with z: a product run in parts over
 * k (a two-thread scorer's caller multiplies by its own units of h first) leaves the same bits as
 * one call, and so does any split of the units between threads.
 */
public record RowPanels(int units, int from, int to, int lanes) {
    /** Vectors per panel at most: its accumulators stay in registers. */
    public static final int MAX_PANEL = 8;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    public RowPanels {
        if (units <= 0 || lanes <= 0 || from < 0 || from >= to || to > units) {
            throw new IllegalArgumentException("units [" + from + ", " + to + ") of " + units + " at " + lanes + " lanes: need 0 <= from < to <= units and lanes > 0");
        }
    }

    /** Units in the share (n). */
    public int shareUnits() { return to - from; }

    /** z's meaningful floats: four gates of n units. */
    public int width() { return 4 * shareUnits(); }

    /** Vectors per k: the width rounded up to whole vectors. */
    public int vectors() { return (width() + lanes - 1) / lanes; }

    /** The floats of z the kernel reads and writes: the width rounded up to whole vectors (the rest of the last vector is padding). */
    public int paddedWidth() { return vectors() * lanes; }

    /** Panels per k. */
    public int panels() { return (vectors() + MAX_PANEL - 1) / MAX_PANEL; }

    /** First vector of panel p (panels differ by at most one vector). */
    public int panelStart(int p) { return (int) ((long) p * vectors() / panels()); }

    /** Vectors of panel p. */
    public int panelVectors(int p) { return panelStart(p + 1) - panelStart(p); }

    /** Float offset of panel p in the packed kernel. */
    public long panelOffset(int p) { return (long) units * lanes * panelStart(p); }

    /** Floats in the packed kernel: H rows of the padded width. */
    public long packedSize() { return (long) units * paddedWidth(); }

    /** Checks a part [kFrom, kTo) of the units of h that a product runs over. */
    public void checkPart(int kFrom, int kTo) {
        if (kFrom < 0 || kFrom > kTo || kTo > units) {
            throw new IllegalArgumentException("part [" + kFrom + ", " + kTo + ") of h's " + units + " units");
        }
    }

    /** Re-lays the share's columns of Keras' {@code U [H, 4H]} (row-major at {@code src}) into {@code dst} (packedSize floats, padding zero). */
    public void pack(MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        int n = shareUnits(), h = units;
        for (int p = 0; p < panels(); p++) {
            int first = panelStart(p) * lanes, cols = panelVectors(p) * lanes;
            for (int k = 0; k < h; k++) {
                long row = srcOff + (long) k * 4 * h, out = dstOff + panelOffset(p) + (long) k * cols;
                for (int i = 0; i < cols; i++) {
                    int col = first + i, g = col / n, v = col % n;
                    dst.setAtIndex(F, out + i, col < 4 * n ? src.getAtIndex(F, row + (long) g * h + from + v) : 0f);
                }
            }
        }
    }
}
