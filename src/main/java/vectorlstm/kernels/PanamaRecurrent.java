package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code z += h·U}, the recurrent product of batch prediction, once per time step, on
 * {@link GateLayout} for its chunks of rows (twin {@link ScalarKernels#lstmRecurrentPacked}).
 * The batch-1 scorer's, on {@link RowPanels}, is {@link PanamaRowStep}'s.
 *
 * <p>Rows: one unit block is four vectors of z (its i, f, c, o columns); {@link #ROWS} rows share
 * each loaded vector of U' (4 x ROWS accumulators): 4 rows with the 32 registers of AVX-512, 2 rows
 * with AVX2's 16. A single row (an odd count's last) streams the block with k unrolled by two into
 * a second accumulator set.
 */
final class PanamaRecurrent {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    /** Rows per register block; 512-bit species imply AVX-512 and its 32 vector registers. */
    static final int ROWS = S.vectorBitSize() >= 512 ? 4 : 2;

    private PanamaRecurrent() {}

    /**
     * Whether the compact block rides along with the last full block ({@link #rows4Compact},
     * {@link #rows2Compact}). Their 90 and 50 vector operations are past what C1 compiles without
     * boxing, and a method C1 has compiled can stay there: in one of four processes batch 256 ran
     * at 268 reviews/s instead of about 3,800. So they run only where {@link C2Only} keeps them
     * away from C1; elsewhere the compact block runs on its own ({@link #compactRows4},
     * {@link #compactRow}), with the same bits. A holder
     * class: the directive (and the management beans behind it, about 150 ms) comes with the first
     * batch product of a model with a compact block, never to a process that only scores one review
     * at a time.
     */
    private static final class CompactRidesAlong {
        static final boolean ON = C2Only.exclude("vectorlstm/kernels/PanamaRecurrent.rows4Compact", "vectorlstm/kernels/PanamaRecurrent.rows2Compact");
    }

    /**
     * Whether the compact block rides along with the last full block's rows in pairs and fours,
     * which share their broadcasts of h with it (alone, a row's compact block ran at about a
     * quarter of the product's speed: one vector per k). At 512 bits only, where it was measured
     * and where 20 accumulators fit in the 32 registers; both blocks must be in the range.
     */
    static boolean ridesAlong(GateLayout layout, int from, int to) {
        int compact = layout.fullBlocks();
        return ROWS == 4 && layout.compactTail() && compact - 1 >= from && compact < to && CompactRidesAlong.ON;
    }

    static void step(int rows, GateLayout layout, int from, int to, MemorySegment u,
                     MemorySegment h, long hOff, long ldh, MemorySegment z, long zOff, long ldz) {
        if (layout.block() != L) throw new IllegalArgumentException("layout block " + layout.block() + " != " + L + " lanes");
        int units = layout.units(), tail = layout.tail(), compact = layout.fullBlocks();
        long n = (long) (to - from) * L;
        boolean fused = ridesAlong(layout, from, to);
        long uCompact = layout.blockOffset(compact), zCompact = zOff + (long) (compact - from) * L;
        for (int j = from; j < to; j++) {
            long uBlock = layout.blockOffset(j), zj = zOff + (long) (j - from) * L;
            if (j == compact && layout.compactTail()) {
                int r = fused ? rows - rows % 2 : 0;  // fused: only a lone last row is left
                for (; r + 4 <= rows; r += 4) compactRows4(units, tail, u, uBlock, h, hOff + r * ldh, ldh, z, zj + r * ldz, ldz, n);
                for (; r < rows; r++) compactRow(units, tail, u, uBlock, h, hOff + r * ldh, z, zj + r * ldz, n);
                continue;
            }
            boolean withCompact = fused && j == compact - 1;
            int r = 0;
            if (ROWS == 4) {
                for (; r + 4 <= rows; r += 4) {
                    if (withCompact) rows4Compact(units, tail, u, uBlock, uCompact, h, hOff + r * ldh, ldh, z, zj + r * ldz, zCompact + r * ldz, ldz, n);
                    else rows4(units, u, uBlock, h, hOff + r * ldh, ldh, z, zj + r * ldz, ldz, n);
                }
            }
            for (; r + 2 <= rows; r += 2) {
                if (withCompact) rows2Compact(units, tail, u, uBlock, uCompact, h, hOff + r * ldh, ldh, z, zj + r * ldz, zCompact + r * ldz, ldz, n);
                else rows2(units, u, uBlock, h, hOff + r * ldh, ldh, z, zj + r * ldz, ldz, n);
            }
            for (; r < rows; r++) row1(units, u, uBlock, h, hOff + r * ldh, z, zj + r * ldz, n);
        }
    }

    /*
     * The Vector API is called directly in these loops, never through small helpers that take or
     * return vectors: whether C2 inlines such a helper depends on the surrounding compilation (a
     * helper refused with "callee uses too much stack" boxes every vector that crosses it), and
     * the same kernel was seen to allocate 768 KB per sequence when reached from another caller.
     * Offsets are in bytes.
     */

    /** One row, one block: z's four gate vectors at zi, zi+n, zi+2n, zi+3n; even k in a*, odd k in b*. */
    private static void row1(int units, MemorySegment u, long up, MemorySegment h, long h0, MemorySegment z, long zi, long n) {
        long g = n * Float.BYTES, a = zi * Float.BYTES, vec = (long) L * Float.BYTES;
        FloatVector ai = FloatVector.fromMemorySegment(S, z, a, NO), af = FloatVector.fromMemorySegment(S, z, a + g, NO);
        FloatVector ag = FloatVector.fromMemorySegment(S, z, a + 2 * g, NO), ao = FloatVector.fromMemorySegment(S, z, a + 3 * g, NO);
        FloatVector bi = FloatVector.zero(S), bf = FloatVector.zero(S), bg = FloatVector.zero(S), bo = FloatVector.zero(S);
        long ub = up * Float.BYTES;
        int k = 0;
        for (; k + 2 <= units; k += 2, ub += 8 * vec) {
            FloatVector x0 = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k)), x1 = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k + 1));
            ai = x0.fma(FloatVector.fromMemorySegment(S, u, ub, NO), ai);
            af = x0.fma(FloatVector.fromMemorySegment(S, u, ub + vec, NO), af);
            ag = x0.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * vec, NO), ag);
            ao = x0.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * vec, NO), ao);
            bi = x1.fma(FloatVector.fromMemorySegment(S, u, ub + 4 * vec, NO), bi);
            bf = x1.fma(FloatVector.fromMemorySegment(S, u, ub + 5 * vec, NO), bf);
            bg = x1.fma(FloatVector.fromMemorySegment(S, u, ub + 6 * vec, NO), bg);
            bo = x1.fma(FloatVector.fromMemorySegment(S, u, ub + 7 * vec, NO), bo);
        }
        if (k < units) {
            FloatVector x0 = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k));
            ai = x0.fma(FloatVector.fromMemorySegment(S, u, ub, NO), ai);
            af = x0.fma(FloatVector.fromMemorySegment(S, u, ub + vec, NO), af);
            ag = x0.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * vec, NO), ag);
            ao = x0.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * vec, NO), ao);
        }
        ai.add(bi).intoMemorySegment(z, a, NO);
        af.add(bf).intoMemorySegment(z, a + g, NO);
        ag.add(bg).intoMemorySegment(z, a + 2 * g, NO);
        ao.add(bo).intoMemorySegment(z, a + 3 * g, NO);
    }

    /** Two rows, one block: each loaded vector of U' feeds both rows (8 chains). */
    private static void rows2(int units, MemorySegment u, long up, MemorySegment h, long h0, long ldh,
                              MemorySegment z, long zi, long ldz, long n) {
        long g = n * Float.BYTES, a = zi * Float.BYTES, b = a + ldz * Float.BYTES, h1 = h0 + ldh, vec = (long) L * Float.BYTES;
        FloatVector ai = FloatVector.fromMemorySegment(S, z, a, NO), af = FloatVector.fromMemorySegment(S, z, a + g, NO);
        FloatVector ag = FloatVector.fromMemorySegment(S, z, a + 2 * g, NO), ao = FloatVector.fromMemorySegment(S, z, a + 3 * g, NO);
        FloatVector bi = FloatVector.fromMemorySegment(S, z, b, NO), bf = FloatVector.fromMemorySegment(S, z, b + g, NO);
        FloatVector bg = FloatVector.fromMemorySegment(S, z, b + 2 * g, NO), bo = FloatVector.fromMemorySegment(S, z, b + 3 * g, NO);
        for (long k = 0, ub = up * Float.BYTES; k < units; k++, ub += 4 * vec) {
            FloatVector ui = FloatVector.fromMemorySegment(S, u, ub, NO), uf = FloatVector.fromMemorySegment(S, u, ub + vec, NO);
            FloatVector ug = FloatVector.fromMemorySegment(S, u, ub + 2 * vec, NO), uo = FloatVector.fromMemorySegment(S, u, ub + 3 * vec, NO);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k));
            ai = x.fma(ui, ai); af = x.fma(uf, af); ag = x.fma(ug, ag); ao = x.fma(uo, ao);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h1 + k));
            bi = x.fma(ui, bi); bf = x.fma(uf, bf); bg = x.fma(ug, bg); bo = x.fma(uo, bo);
        }
        ai.intoMemorySegment(z, a, NO); af.intoMemorySegment(z, a + g, NO); ag.intoMemorySegment(z, a + 2 * g, NO); ao.intoMemorySegment(z, a + 3 * g, NO);
        bi.intoMemorySegment(z, b, NO); bf.intoMemorySegment(z, b + g, NO); bg.intoMemorySegment(z, b + 2 * g, NO); bo.intoMemorySegment(z, b + 3 * g, NO);
    }

    /**
     * Four rows of the compact last block on their own (where it does not ride along): each row
     * one chain over k from zero, as {@link #compactRow} sums it, the four sharing each vector of
     * U'. About 25 vector operations, few enough for C1.
     */
    private static void compactRows4(int units, int tail, MemorySegment u, long up, MemorySegment h, long h0, long ldh,
                                     MemorySegment z, long zj, long ldz, long n) {
        long vec = (long) L * Float.BYTES, ub = up * Float.BYTES, h1 = h0 + ldh, h2 = h1 + ldh, h3 = h2 + ldh;
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S), c = FloatVector.zero(S), d = FloatVector.zero(S);
        for (int k = 0; k < units; k++, ub += vec) {
            FloatVector uq = FloatVector.fromMemorySegment(S, u, ub, NO);
            a = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k)).fma(uq, a);
            b = FloatVector.broadcast(S, h.getAtIndex(F, h1 + k)).fma(uq, b);
            c = FloatVector.broadcast(S, h.getAtIndex(F, h2 + k)).fma(uq, c);
            d = FloatVector.broadcast(S, h.getAtIndex(F, h3 + k)).fma(uq, d);
        }
        long q = zj * Float.BYTES, row = ldz * Float.BYTES;
        a.add(FloatVector.fromMemorySegment(S, z, q, NO)).intoMemorySegment(z, q, NO);
        b.add(FloatVector.fromMemorySegment(S, z, q + row, NO)).intoMemorySegment(z, q + row, NO);
        c.add(FloatVector.fromMemorySegment(S, z, q + 2 * row, NO)).intoMemorySegment(z, q + 2 * row, NO);
        d.add(FloatVector.fromMemorySegment(S, z, q + 3 * row, NO)).intoMemorySegment(z, q + 3 * row, NO);
        for (int r = 0; r < 4; r++) spreadCompact(tail, z, q + r * row, n * Float.BYTES);
    }

    /**
     * One row of the compact last block (see {@link GateLayout}): one vector per k whose lane
     * gate·tail + q is unit q's gate, summed in one chain over k from zero (as in
     * {@link #rows4Compact}, so a row's bits do not depend on which path took it), then spread.
     */
    private static void compactRow(int units, int tail, MemorySegment u, long up, MemorySegment h, long h0,
                                   MemorySegment z, long zj, long n) {
        long vec = (long) L * Float.BYTES, ub = up * Float.BYTES;
        FloatVector a = FloatVector.zero(S);
        for (int k = 0; k < units; k++, ub += vec) {
            a = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k)).fma(FloatVector.fromMemorySegment(S, u, ub, NO), a);
        }
        long iSlot = zj * Float.BYTES;
        a.add(FloatVector.fromMemorySegment(S, z, iSlot, NO)).intoMemorySegment(z, iSlot, NO);
        spreadCompact(tail, z, iSlot, n * Float.BYTES);
    }

    /**
     * Moves a compact block's sums, stored in z's i slot with z's i values already added, to their
     * gates' slots. Gate g's lanes [g·tail, (g+1)·tail) slide down to lane 0 and are added under a
     * mask onto z's slot of gate g, whose padding is stored back untouched (adding +0.0 would turn
     * a -0.0 into +0.0); the i slot keeps its first tail lanes and its padding is zeroed again.
     * The sums travel through memory, not as a vector argument: a vector crossing a call that C2
     * does not inline is boxed. No lane is extracted into a scalar either: that boxed the vector.
     */
    private static void spreadCompact(int tail, MemorySegment z, long iSlot, long gate) {
        FloatVector sum = FloatVector.fromMemorySegment(S, z, iSlot, NO);
        VectorMask<Float> home = S.indexInRange(0, tail);
        FloatVector zf = FloatVector.fromMemorySegment(S, z, iSlot + gate, NO);
        FloatVector zc = FloatVector.fromMemorySegment(S, z, iSlot + 2 * gate, NO);
        FloatVector zo = FloatVector.fromMemorySegment(S, z, iSlot + 3 * gate, NO);
        zf.add(sum.slice(tail), home).intoMemorySegment(z, iSlot + gate, NO);
        zc.add(sum.slice(2 * tail), home).intoMemorySegment(z, iSlot + 2 * gate, NO);
        zo.add(sum.slice(3 * tail), home).intoMemorySegment(z, iSlot + 3 * gate, NO);
        sum.blend(0f, S.indexInRange(0, 4 * tail).andNot(home)).intoMemorySegment(z, iSlot, NO);
    }

    /** Four rows, one block: 16 accumulators plus 4 vectors of U' (AVX-512 only). */
    private static void rows4(int units, MemorySegment u, long up, MemorySegment h, long h0, long ldh,
                              MemorySegment z, long zi, long ldz, long n) {
        long g = n * Float.BYTES, row = ldz * Float.BYTES;
        long a = zi * Float.BYTES, b = a + row, c = b + row, d = c + row;
        long h1 = h0 + ldh, h2 = h1 + ldh, h3 = h2 + ldh;
        FloatVector ai = FloatVector.fromMemorySegment(S, z, a, NO), af = FloatVector.fromMemorySegment(S, z, a + g, NO);
        FloatVector ag = FloatVector.fromMemorySegment(S, z, a + 2 * g, NO), ao = FloatVector.fromMemorySegment(S, z, a + 3 * g, NO);
        FloatVector bi = FloatVector.fromMemorySegment(S, z, b, NO), bf = FloatVector.fromMemorySegment(S, z, b + g, NO);
        FloatVector bg = FloatVector.fromMemorySegment(S, z, b + 2 * g, NO), bo = FloatVector.fromMemorySegment(S, z, b + 3 * g, NO);
        FloatVector ci = FloatVector.fromMemorySegment(S, z, c, NO), cf = FloatVector.fromMemorySegment(S, z, c + g, NO);
        FloatVector cg = FloatVector.fromMemorySegment(S, z, c + 2 * g, NO), co = FloatVector.fromMemorySegment(S, z, c + 3 * g, NO);
        FloatVector di = FloatVector.fromMemorySegment(S, z, d, NO), df = FloatVector.fromMemorySegment(S, z, d + g, NO);
        FloatVector dg = FloatVector.fromMemorySegment(S, z, d + 2 * g, NO), dO = FloatVector.fromMemorySegment(S, z, d + 3 * g, NO);
        long vec = (long) L * Float.BYTES;
        for (long k = 0, ub = up * Float.BYTES; k < units; k++, ub += 4 * vec) {
            FloatVector ui = FloatVector.fromMemorySegment(S, u, ub, NO), uf = FloatVector.fromMemorySegment(S, u, ub + vec, NO);
            FloatVector ug = FloatVector.fromMemorySegment(S, u, ub + 2 * vec, NO), uo = FloatVector.fromMemorySegment(S, u, ub + 3 * vec, NO);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k));
            ai = x.fma(ui, ai); af = x.fma(uf, af); ag = x.fma(ug, ag); ao = x.fma(uo, ao);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h1 + k));
            bi = x.fma(ui, bi); bf = x.fma(uf, bf); bg = x.fma(ug, bg); bo = x.fma(uo, bo);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h2 + k));
            ci = x.fma(ui, ci); cf = x.fma(uf, cf); cg = x.fma(ug, cg); co = x.fma(uo, co);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h3 + k));
            di = x.fma(ui, di); df = x.fma(uf, df); dg = x.fma(ug, dg); dO = x.fma(uo, dO);
        }
        ai.intoMemorySegment(z, a, NO); af.intoMemorySegment(z, a + g, NO); ag.intoMemorySegment(z, a + 2 * g, NO); ao.intoMemorySegment(z, a + 3 * g, NO);
        bi.intoMemorySegment(z, b, NO); bf.intoMemorySegment(z, b + g, NO); bg.intoMemorySegment(z, b + 2 * g, NO); bo.intoMemorySegment(z, b + 3 * g, NO);
        ci.intoMemorySegment(z, c, NO); cf.intoMemorySegment(z, c + g, NO); cg.intoMemorySegment(z, c + 2 * g, NO); co.intoMemorySegment(z, c + 3 * g, NO);
        di.intoMemorySegment(z, d, NO); df.intoMemorySegment(z, d + g, NO); dg.intoMemorySegment(z, d + 2 * g, NO); dO.intoMemorySegment(z, d + 3 * g, NO);
    }

    /** {@link #rows2} on the last full block, plus the compact block for the same two rows (as {@link #rows4Compact}). */
    private static void rows2Compact(int units, int tail, MemorySegment u, long up, long uc, MemorySegment h, long h0, long ldh,
                                     MemorySegment z, long zi, long zc, long ldz, long n) {
        long g = n * Float.BYTES, row = ldz * Float.BYTES, a = zi * Float.BYTES, b = a + row, h1 = h0 + ldh, vec = (long) L * Float.BYTES;
        FloatVector ai = FloatVector.fromMemorySegment(S, z, a, NO), af = FloatVector.fromMemorySegment(S, z, a + g, NO);
        FloatVector ag = FloatVector.fromMemorySegment(S, z, a + 2 * g, NO), ao = FloatVector.fromMemorySegment(S, z, a + 3 * g, NO);
        FloatVector bi = FloatVector.fromMemorySegment(S, z, b, NO), bf = FloatVector.fromMemorySegment(S, z, b + g, NO);
        FloatVector bg = FloatVector.fromMemorySegment(S, z, b + 2 * g, NO), bo = FloatVector.fromMemorySegment(S, z, b + 3 * g, NO);
        FloatVector at = FloatVector.zero(S), bt = FloatVector.zero(S);
        for (long k = 0, ub = up * Float.BYTES, ut = uc * Float.BYTES; k < units; k++, ub += 4 * vec, ut += vec) {
            FloatVector ui = FloatVector.fromMemorySegment(S, u, ub, NO), uf = FloatVector.fromMemorySegment(S, u, ub + vec, NO);
            FloatVector ug = FloatVector.fromMemorySegment(S, u, ub + 2 * vec, NO), uo = FloatVector.fromMemorySegment(S, u, ub + 3 * vec, NO);
            FloatVector uq = FloatVector.fromMemorySegment(S, u, ut, NO);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k));
            ai = x.fma(ui, ai); af = x.fma(uf, af); ag = x.fma(ug, ag); ao = x.fma(uo, ao); at = x.fma(uq, at);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h1 + k));
            bi = x.fma(ui, bi); bf = x.fma(uf, bf); bg = x.fma(ug, bg); bo = x.fma(uo, bo); bt = x.fma(uq, bt);
        }
        ai.intoMemorySegment(z, a, NO); af.intoMemorySegment(z, a + g, NO); ag.intoMemorySegment(z, a + 2 * g, NO); ao.intoMemorySegment(z, a + 3 * g, NO);
        bi.intoMemorySegment(z, b, NO); bf.intoMemorySegment(z, b + g, NO); bg.intoMemorySegment(z, b + 2 * g, NO); bo.intoMemorySegment(z, b + 3 * g, NO);
        long q = zc * Float.BYTES;
        at.add(FloatVector.fromMemorySegment(S, z, q, NO)).intoMemorySegment(z, q, NO);
        bt.add(FloatVector.fromMemorySegment(S, z, q + row, NO)).intoMemorySegment(z, q + row, NO);
        spreadCompact(tail, z, q, g);
        spreadCompact(tail, z, q + row, g);
    }

    /**
     * {@link #rows4} on the last full block, plus the compact block for the same four rows: 20
     * accumulators, the four broadcasts of h shared by both blocks. The compact sums start from
     * zero and get z's i slot added after the loop, then are spread ({@link #spreadCompact}).
     */
    private static void rows4Compact(int units, int tail, MemorySegment u, long up, long uc, MemorySegment h, long h0, long ldh,
                                     MemorySegment z, long zi, long zc, long ldz, long n) {
        long g = n * Float.BYTES, row = ldz * Float.BYTES;
        long a = zi * Float.BYTES, b = a + row, c = b + row, d = c + row;
        long h1 = h0 + ldh, h2 = h1 + ldh, h3 = h2 + ldh;
        FloatVector ai = FloatVector.fromMemorySegment(S, z, a, NO), af = FloatVector.fromMemorySegment(S, z, a + g, NO);
        FloatVector ag = FloatVector.fromMemorySegment(S, z, a + 2 * g, NO), ao = FloatVector.fromMemorySegment(S, z, a + 3 * g, NO);
        FloatVector bi = FloatVector.fromMemorySegment(S, z, b, NO), bf = FloatVector.fromMemorySegment(S, z, b + g, NO);
        FloatVector bg = FloatVector.fromMemorySegment(S, z, b + 2 * g, NO), bo = FloatVector.fromMemorySegment(S, z, b + 3 * g, NO);
        FloatVector ci = FloatVector.fromMemorySegment(S, z, c, NO), cf = FloatVector.fromMemorySegment(S, z, c + g, NO);
        FloatVector cg = FloatVector.fromMemorySegment(S, z, c + 2 * g, NO), co = FloatVector.fromMemorySegment(S, z, c + 3 * g, NO);
        FloatVector di = FloatVector.fromMemorySegment(S, z, d, NO), df = FloatVector.fromMemorySegment(S, z, d + g, NO);
        FloatVector dg = FloatVector.fromMemorySegment(S, z, d + 2 * g, NO), dO = FloatVector.fromMemorySegment(S, z, d + 3 * g, NO);
        FloatVector at = FloatVector.zero(S), bt = FloatVector.zero(S), ct = FloatVector.zero(S), dt = FloatVector.zero(S);
        long vec = (long) L * Float.BYTES;
        for (long k = 0, ub = up * Float.BYTES, ut = uc * Float.BYTES; k < units; k++, ub += 4 * vec, ut += vec) {
            FloatVector ui = FloatVector.fromMemorySegment(S, u, ub, NO), uf = FloatVector.fromMemorySegment(S, u, ub + vec, NO);
            FloatVector ug = FloatVector.fromMemorySegment(S, u, ub + 2 * vec, NO), uo = FloatVector.fromMemorySegment(S, u, ub + 3 * vec, NO);
            FloatVector uq = FloatVector.fromMemorySegment(S, u, ut, NO);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, h0 + k));
            ai = x.fma(ui, ai); af = x.fma(uf, af); ag = x.fma(ug, ag); ao = x.fma(uo, ao); at = x.fma(uq, at);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h1 + k));
            bi = x.fma(ui, bi); bf = x.fma(uf, bf); bg = x.fma(ug, bg); bo = x.fma(uo, bo); bt = x.fma(uq, bt);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h2 + k));
            ci = x.fma(ui, ci); cf = x.fma(uf, cf); cg = x.fma(ug, cg); co = x.fma(uo, co); ct = x.fma(uq, ct);
            x = FloatVector.broadcast(S, h.getAtIndex(F, h3 + k));
            di = x.fma(ui, di); df = x.fma(uf, df); dg = x.fma(ug, dg); dO = x.fma(uo, dO); dt = x.fma(uq, dt);
        }
        ai.intoMemorySegment(z, a, NO); af.intoMemorySegment(z, a + g, NO); ag.intoMemorySegment(z, a + 2 * g, NO); ao.intoMemorySegment(z, a + 3 * g, NO);
        bi.intoMemorySegment(z, b, NO); bf.intoMemorySegment(z, b + g, NO); bg.intoMemorySegment(z, b + 2 * g, NO); bo.intoMemorySegment(z, b + 3 * g, NO);
        ci.intoMemorySegment(z, c, NO); cf.intoMemorySegment(z, c + g, NO); cg.intoMemorySegment(z, c + 2 * g, NO); co.intoMemorySegment(z, c + 3 * g, NO);
        di.intoMemorySegment(z, d, NO); df.intoMemorySegment(z, d + g, NO); dg.intoMemorySegment(z, d + 2 * g, NO); dO.intoMemorySegment(z, d + 3 * g, NO);
        long q = zc * Float.BYTES;
        at.add(FloatVector.fromMemorySegment(S, z, q, NO)).intoMemorySegment(z, q, NO);
        bt.add(FloatVector.fromMemorySegment(S, z, q + row, NO)).intoMemorySegment(z, q + row, NO);
        ct.add(FloatVector.fromMemorySegment(S, z, q + 2 * row, NO)).intoMemorySegment(z, q + 2 * row, NO);
        dt.add(FloatVector.fromMemorySegment(S, z, q + 3 * row, NO)).intoMemorySegment(z, q + 3 * row, NO);
        for (int r = 0; r < 4; r++) spreadCompact(tail, z, q + r * row, g);
    }
}
