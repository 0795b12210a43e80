package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code z += h·U} for one sequence (the batch-1 scorer), once per time step, on U laid out in
 * {@link RowPanels} (twin {@link ScalarKernels#lstmRecurrentRow}): each panel's accumulators held
 * in registers over its rows of U', one broadcast of h and one FMA per vector and row. Batch
 * prediction's product is {@link PanamaRecurrent}'s.
 */
final class PanamaRowStep {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    /** Bytes of one vector: a constant, so that the panels' offsets below are too. */
    private static final long VEC = (long) L * Float.BYTES;

    private PanamaRowStep() {}

    /**
     * One batch-1 step's product on {@link RowPanels} ({@code Kernels.lstmRecurrentRow}), one panel
     * at a time, first to last or (backward) last to first. A step streams all of the share's U
     * (160 KB at H = 100) from L2 through L1 (48 KB on the Zen 5); run in the other order than the
     * step before, it starts with the panel that step read last, still in L1: one review 1.05x
     * faster on the Zen 5 (docs/performance-history.md, "The batch-1 panels back and forth").
     */
    static void row(RowPanels layout, MemorySegment u, MemorySegment h, long hOff, MemorySegment z, long zOff, int kFrom, int kTo,
                    boolean backward) {
        if (layout.lanes() != L) throw new IllegalArgumentException("layout of " + layout.lanes() + " lanes != " + L);
        layout.checkPart(kFrom, kTo);
        if (kFrom == kTo) return;
        for (int q = 0; q < layout.panels(); q++) {
            int p = backward ? layout.panels() - 1 - q : q;
            long uOffP = layout.panelOffset(p) + (long) kFrom * layout.panelVectors(p) * L, zOffP = zOff + (long) layout.panelStart(p) * L;
            long hOffP = hOff + kFrom;
            int count = kTo - kFrom;
            switch (layout.panelVectors(p)) {
                case 8 -> panel8(u, uOffP, h, hOffP, z, zOffP, count);
                case 7 -> panel7(u, uOffP, h, hOffP, z, zOffP, count);
                case 6 -> panel6(u, uOffP, h, hOffP, z, zOffP, count);
                case 5 -> panel5(u, uOffP, h, hOffP, z, zOffP, count);
                case 4 -> panel4(u, uOffP, h, hOffP, z, zOffP, count);
                default -> narrowPanel(layout.panelVectors(p), u, uOffP, h, hOffP, z, zOffP, count);
            }
        }
    }

    /*
     * One panel each: its accumulators held over the panel's `count` rows of U' (from uOff, floats),
     * each row one broadcast of h[hOff + i] and one FMA per vector. Written out per width, with the
     * row stride and the vectors' offsets as constants and the loop counting from zero: measured at
     * H = 100, 512 bits, a step's product plus gates took 1.26-1.30 us this way and 1.52 us as one
     * method for every width (offsets computed at run time, the loop running from kFrom to kTo), in
     * the same chained driver (why was not checked: presumably C2 can take the memory accesses'
     * bounds checks out of the former's loop).
     */

    /** A panel of 1 to 3 vectors (a share of 12 units or fewer at 16 lanes): 3 accumulators, the last real vector repeated (same bytes, same sums, same place). */
    private static void narrowPanel(int vecs, MemorySegment u, long uOff, MemorySegment h, long hOff, MemorySegment z, long zOff, int count) {
        long a = zOff * Float.BYTES, u0 = uOff * Float.BYTES, row = vecs * VEC;
        long v1 = Math.min(1, vecs - 1) * VEC, v2 = Math.min(2, vecs - 1) * VEC;
        FloatVector s0 = FloatVector.fromMemorySegment(S, z, a, NO), s1 = FloatVector.fromMemorySegment(S, z, a + v1, NO), s2 = FloatVector.fromMemorySegment(S, z, a + v2, NO);
        for (int i = 0; i < count; i++) {
            long ub = u0 + i * row;
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, hOff + i));
            s0 = x.fma(FloatVector.fromMemorySegment(S, u, ub, NO), s0);
            s1 = x.fma(FloatVector.fromMemorySegment(S, u, ub + v1, NO), s1);
            s2 = x.fma(FloatVector.fromMemorySegment(S, u, ub + v2, NO), s2);
        }
        s0.intoMemorySegment(z, a, NO); s1.intoMemorySegment(z, a + v1, NO); s2.intoMemorySegment(z, a + v2, NO);
    }

    private static void panel8(MemorySegment u, long uOff, MemorySegment h, long hOff, MemorySegment z, long zOff, int count) {
        long a = zOff * Float.BYTES, u0 = uOff * Float.BYTES;
        FloatVector s0 = FloatVector.fromMemorySegment(S, z, a, NO), s1 = FloatVector.fromMemorySegment(S, z, a + VEC, NO);
        FloatVector s2 = FloatVector.fromMemorySegment(S, z, a + 2 * VEC, NO), s3 = FloatVector.fromMemorySegment(S, z, a + 3 * VEC, NO);
        FloatVector s4 = FloatVector.fromMemorySegment(S, z, a + 4 * VEC, NO), s5 = FloatVector.fromMemorySegment(S, z, a + 5 * VEC, NO);
        FloatVector s6 = FloatVector.fromMemorySegment(S, z, a + 6 * VEC, NO), s7 = FloatVector.fromMemorySegment(S, z, a + 7 * VEC, NO);
        for (int i = 0; i < count; i++) {
            long ub = u0 + i * (8 * VEC);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, hOff + i));
            s0 = x.fma(FloatVector.fromMemorySegment(S, u, ub, NO), s0);
            s1 = x.fma(FloatVector.fromMemorySegment(S, u, ub + VEC, NO), s1);
            s2 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * VEC, NO), s2);
            s3 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * VEC, NO), s3);
            s4 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 4 * VEC, NO), s4);
            s5 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 5 * VEC, NO), s5);
            s6 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 6 * VEC, NO), s6);
            s7 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 7 * VEC, NO), s7);
        }
        s0.intoMemorySegment(z, a, NO); s1.intoMemorySegment(z, a + VEC, NO); s2.intoMemorySegment(z, a + 2 * VEC, NO); s3.intoMemorySegment(z, a + 3 * VEC, NO);
        s4.intoMemorySegment(z, a + 4 * VEC, NO); s5.intoMemorySegment(z, a + 5 * VEC, NO); s6.intoMemorySegment(z, a + 6 * VEC, NO); s7.intoMemorySegment(z, a + 7 * VEC, NO);
    }

    private static void panel7(MemorySegment u, long uOff, MemorySegment h, long hOff, MemorySegment z, long zOff, int count) {
        long a = zOff * Float.BYTES, u0 = uOff * Float.BYTES;
        FloatVector s0 = FloatVector.fromMemorySegment(S, z, a, NO), s1 = FloatVector.fromMemorySegment(S, z, a + VEC, NO);
        FloatVector s2 = FloatVector.fromMemorySegment(S, z, a + 2 * VEC, NO), s3 = FloatVector.fromMemorySegment(S, z, a + 3 * VEC, NO);
        FloatVector s4 = FloatVector.fromMemorySegment(S, z, a + 4 * VEC, NO), s5 = FloatVector.fromMemorySegment(S, z, a + 5 * VEC, NO);
        FloatVector s6 = FloatVector.fromMemorySegment(S, z, a + 6 * VEC, NO);
        for (int i = 0; i < count; i++) {
            long ub = u0 + i * (7 * VEC);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, hOff + i));
            s0 = x.fma(FloatVector.fromMemorySegment(S, u, ub, NO), s0);
            s1 = x.fma(FloatVector.fromMemorySegment(S, u, ub + VEC, NO), s1);
            s2 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * VEC, NO), s2);
            s3 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * VEC, NO), s3);
            s4 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 4 * VEC, NO), s4);
            s5 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 5 * VEC, NO), s5);
            s6 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 6 * VEC, NO), s6);
        }
        s0.intoMemorySegment(z, a, NO); s1.intoMemorySegment(z, a + VEC, NO); s2.intoMemorySegment(z, a + 2 * VEC, NO); s3.intoMemorySegment(z, a + 3 * VEC, NO);
        s4.intoMemorySegment(z, a + 4 * VEC, NO); s5.intoMemorySegment(z, a + 5 * VEC, NO); s6.intoMemorySegment(z, a + 6 * VEC, NO);
    }

    private static void panel6(MemorySegment u, long uOff, MemorySegment h, long hOff, MemorySegment z, long zOff, int count) {
        long a = zOff * Float.BYTES, u0 = uOff * Float.BYTES;
        FloatVector s0 = FloatVector.fromMemorySegment(S, z, a, NO), s1 = FloatVector.fromMemorySegment(S, z, a + VEC, NO);
        FloatVector s2 = FloatVector.fromMemorySegment(S, z, a + 2 * VEC, NO), s3 = FloatVector.fromMemorySegment(S, z, a + 3 * VEC, NO);
        FloatVector s4 = FloatVector.fromMemorySegment(S, z, a + 4 * VEC, NO), s5 = FloatVector.fromMemorySegment(S, z, a + 5 * VEC, NO);
        for (int i = 0; i < count; i++) {
            long ub = u0 + i * (6 * VEC);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, hOff + i));
            s0 = x.fma(FloatVector.fromMemorySegment(S, u, ub, NO), s0);
            s1 = x.fma(FloatVector.fromMemorySegment(S, u, ub + VEC, NO), s1);
            s2 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * VEC, NO), s2);
            s3 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * VEC, NO), s3);
            s4 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 4 * VEC, NO), s4);
            s5 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 5 * VEC, NO), s5);
        }
        s0.intoMemorySegment(z, a, NO); s1.intoMemorySegment(z, a + VEC, NO); s2.intoMemorySegment(z, a + 2 * VEC, NO); s3.intoMemorySegment(z, a + 3 * VEC, NO);
        s4.intoMemorySegment(z, a + 4 * VEC, NO); s5.intoMemorySegment(z, a + 5 * VEC, NO);
    }

    private static void panel5(MemorySegment u, long uOff, MemorySegment h, long hOff, MemorySegment z, long zOff, int count) {
        long a = zOff * Float.BYTES, u0 = uOff * Float.BYTES;
        FloatVector s0 = FloatVector.fromMemorySegment(S, z, a, NO), s1 = FloatVector.fromMemorySegment(S, z, a + VEC, NO);
        FloatVector s2 = FloatVector.fromMemorySegment(S, z, a + 2 * VEC, NO), s3 = FloatVector.fromMemorySegment(S, z, a + 3 * VEC, NO);
        FloatVector s4 = FloatVector.fromMemorySegment(S, z, a + 4 * VEC, NO);
        for (int i = 0; i < count; i++) {
            long ub = u0 + i * (5 * VEC);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, hOff + i));
            s0 = x.fma(FloatVector.fromMemorySegment(S, u, ub, NO), s0);
            s1 = x.fma(FloatVector.fromMemorySegment(S, u, ub + VEC, NO), s1);
            s2 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * VEC, NO), s2);
            s3 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * VEC, NO), s3);
            s4 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 4 * VEC, NO), s4);
        }
        s0.intoMemorySegment(z, a, NO); s1.intoMemorySegment(z, a + VEC, NO); s2.intoMemorySegment(z, a + 2 * VEC, NO); s3.intoMemorySegment(z, a + 3 * VEC, NO);
        s4.intoMemorySegment(z, a + 4 * VEC, NO);
    }

    private static void panel4(MemorySegment u, long uOff, MemorySegment h, long hOff, MemorySegment z, long zOff, int count) {
        long a = zOff * Float.BYTES, u0 = uOff * Float.BYTES;
        FloatVector s0 = FloatVector.fromMemorySegment(S, z, a, NO), s1 = FloatVector.fromMemorySegment(S, z, a + VEC, NO);
        FloatVector s2 = FloatVector.fromMemorySegment(S, z, a + 2 * VEC, NO), s3 = FloatVector.fromMemorySegment(S, z, a + 3 * VEC, NO);
        for (int i = 0; i < count; i++) {
            long ub = u0 + i * (4 * VEC);
            FloatVector x = FloatVector.broadcast(S, h.getAtIndex(F, hOff + i));
            s0 = x.fma(FloatVector.fromMemorySegment(S, u, ub, NO), s0);
            s1 = x.fma(FloatVector.fromMemorySegment(S, u, ub + VEC, NO), s1);
            s2 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 2 * VEC, NO), s2);
            s3 = x.fma(FloatVector.fromMemorySegment(S, u, ub + 3 * VEC, NO), s3);
        }
        s0.intoMemorySegment(z, a, NO); s1.intoMemorySegment(z, a + VEC, NO); s2.intoMemorySegment(z, a + 2 * VEC, NO); s3.intoMemorySegment(z, a + 3 * VEC, NO);
    }
}
