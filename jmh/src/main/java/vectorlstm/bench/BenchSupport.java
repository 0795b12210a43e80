package vectorlstm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.kernels.ScalarKernels;

/** Shared set-up helpers for the benchmarks (not a benchmark itself). */
final class BenchSupport {
    /** Alignment of every benchmark buffer: one cache line, and a multiple of any vector width. */
    static final long ALIGN = 64;
    /** Fixed seed: every fork and every build sees the same inputs. */
    static final long SEED = 0x5EED_1A57L;

    private BenchSupport() {}

    /**
     * The kernels behind the {@code impl} parameter. Both are created directly (not via
     * {@link KernelProvider#get()}) so one JVM can measure either.
     */
    static Kernels kernels(String impl) {
        return switch (impl) {
            case "scalar" -> new ScalarKernels();
            case "panama" -> KernelProvider.panama();
            default -> throw new IllegalArgumentException("impl must be scalar or panama, got " + impl);
        };
    }

    /** A zero-filled, 64-byte aligned buffer of {@code floats} floats. */
    static MemorySegment floats(Arena arena, long floats) {
        return arena.allocate(floats * Float.BYTES, ALIGN);
    }

    /** Fills {@code floats} floats of {@code seg} with uniform values in [lo, hi). */
    static void fillUniform(MemorySegment seg, long floats, float lo, float hi, SplittableRandom rnd) {
        for (long i = 0; i < floats; i++) {
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, lo + (hi - lo) * (float) rnd.nextDouble());
        }
    }

    /** Copies {@code floats} floats from the start of {@code src} to the start of {@code dst}. */
    static void copy(MemorySegment src, MemorySegment dst, long floats) {
        MemorySegment.copy(src, 0, dst, 0, floats * Float.BYTES);
    }
}
