package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code z += h·U} on the packed layout of {@link GateLayout}: the recurrent product of inference,
 * once per time step. Its twin is {@link ScalarKernels#lstmRecurrentPacked}.
 *
 * <p>One unit block is four vectors of z (its i, f, c, o columns). For a single row the block's
 * slice of U' is streamed once with k unrolled by two into a second accumulator set: 8 independent
 * FMA chains, enough to hide the FMA latency, while the loads stream U' front to back. For several
 * rows, {@link #ROWS} rows share each loaded vector of U' (4 x ROWS accumulators): 4 rows with the
 * 32 registers of AVX-512, 2 rows with AVX2's 16.
 */
final class PanamaRecurrent {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    /** Rows per register block; 512-bit species imply AVX-512 and its 32 vector registers. */
    static final int ROWS = S.vectorBitSize() >= 512 ? 4 : 2;

    private PanamaRecurrent() {}

    static void step(int rows, GateLayout layout, int from, int to, MemorySegment u,
                     MemorySegment h, long hOff, long ldh, MemorySegment z, long zOff, long ldz) {
        if (layout.block() != L) throw new IllegalArgumentException("layout block " + layout.block() + " != " + L + " lanes");
        int units = layout.units();
        long n = (long) (to - from) * L;
        for (int j = from; j < to; j++) {
            long uBlock = j * layout.blockStride(), zj = zOff + (long) (j - from) * L;
            int r = 0;
            if (ROWS == 4) {
                for (; r + 4 <= rows; r += 4) rows4(units, u, uBlock, h, hOff + r * ldh, ldh, z, zj + r * ldz, ldz, n);
            }
            for (; r + 2 <= rows; r += 2) rows2(units, u, uBlock, h, hOff + r * ldh, ldh, z, zj + r * ldz, ldz, n);
            for (; r < rows; r++) row1(units, u, uBlock, h, hOff + r * ldh, z, zj + r * ldz, n);
        }
    }

    private static FloatVector load(MemorySegment s, long floatIndex) {
        return FloatVector.fromMemorySegment(S, s, floatIndex * Float.BYTES, NO);
    }

    private static void store(FloatVector v, MemorySegment s, long floatIndex) {
        v.intoMemorySegment(s, floatIndex * Float.BYTES, NO);
    }

    private static FloatVector hk(MemorySegment h, long i) { return FloatVector.broadcast(S, h.getAtIndex(F, i)); }

    /** One row, one block: z's four gate vectors at zi, zi+n, zi+2n, zi+3n; even k in a*, odd k in b*. */
    private static void row1(int units, MemorySegment u, long up, MemorySegment h, long h0, MemorySegment z, long zi, long n) {
        FloatVector ai = load(z, zi), af = load(z, zi + n), ag = load(z, zi + 2 * n), ao = load(z, zi + 3 * n);
        FloatVector bi = FloatVector.zero(S), bf = FloatVector.zero(S), bg = FloatVector.zero(S), bo = FloatVector.zero(S);
        int k = 0;
        for (; k + 2 <= units; k += 2, up += 8L * L) {
            FloatVector x0 = hk(h, h0 + k), x1 = hk(h, h0 + k + 1);
            ai = x0.fma(load(u, up), ai);
            af = x0.fma(load(u, up + L), af);
            ag = x0.fma(load(u, up + 2L * L), ag);
            ao = x0.fma(load(u, up + 3L * L), ao);
            bi = x1.fma(load(u, up + 4L * L), bi);
            bf = x1.fma(load(u, up + 5L * L), bf);
            bg = x1.fma(load(u, up + 6L * L), bg);
            bo = x1.fma(load(u, up + 7L * L), bo);
        }
        if (k < units) {
            FloatVector x0 = hk(h, h0 + k);
            ai = x0.fma(load(u, up), ai);
            af = x0.fma(load(u, up + L), af);
            ag = x0.fma(load(u, up + 2L * L), ag);
            ao = x0.fma(load(u, up + 3L * L), ao);
        }
        store(ai.add(bi), z, zi);
        store(af.add(bf), z, zi + n);
        store(ag.add(bg), z, zi + 2 * n);
        store(ao.add(bo), z, zi + 3 * n);
    }

    /** Two rows, one block: each loaded vector of U' feeds both rows (8 chains). */
    private static void rows2(int units, MemorySegment u, long up, MemorySegment h, long h0, long ldh,
                              MemorySegment z, long zi, long ldz, long n) {
        long z1 = zi + ldz, h1 = h0 + ldh;
        FloatVector ai = load(z, zi), af = load(z, zi + n), ag = load(z, zi + 2 * n), ao = load(z, zi + 3 * n);
        FloatVector bi = load(z, z1), bf = load(z, z1 + n), bg = load(z, z1 + 2 * n), bo = load(z, z1 + 3 * n);
        for (int k = 0; k < units; k++, up += 4L * L) {
            FloatVector x0 = hk(h, h0 + k), x1 = hk(h, h1 + k);
            FloatVector ui = load(u, up), uf = load(u, up + L), ug = load(u, up + 2L * L), uo = load(u, up + 3L * L);
            ai = x0.fma(ui, ai); af = x0.fma(uf, af); ag = x0.fma(ug, ag); ao = x0.fma(uo, ao);
            bi = x1.fma(ui, bi); bf = x1.fma(uf, bf); bg = x1.fma(ug, bg); bo = x1.fma(uo, bo);
        }
        store(ai, z, zi); store(af, z, zi + n); store(ag, z, zi + 2 * n); store(ao, z, zi + 3 * n);
        store(bi, z, z1); store(bf, z, z1 + n); store(bg, z, z1 + 2 * n); store(bo, z, z1 + 3 * n);
    }

    /**
     * Four rows, one block: 16 accumulators plus 4 vectors of U' (AVX-512 only). The Vector API is
     * called directly here, not through {@link #load}/{@link #store}: with 16 live vectors C2
     * refused to inline those helpers ("callee uses too much stack") and boxed every vector.
     * Offsets below are in bytes.
     */
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
}
