package vectorlstm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import vectorlstm.cli.SeedModel;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.kernels.ScalarKernels;
import vectorlstm.layers.Shape;
import vectorlstm.model.Sequential;

/** Shared set-up helpers for the benchmarks (not a benchmark itself). */
final class BenchSupport {
    /** Alignment of every benchmark buffer: one cache line, and a multiple of any vector width. */
    static final long ALIGN = 64;
    /** Fixed seed: every fork and every build sees the same inputs. */
    static final long SEED = 0x5EED_1A57L;
    /** The seed model's vocabulary and padded length (the Keras IMDB program). */
    static final int SEED_VOCABULARY = 5000, SEED_STEPS = 500;

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

    /**
     * Makes the engine use the kernels behind {@code impl} for the whole JVM, for the end-to-end
     * benchmarks (the layers take their kernels from {@link KernelProvider#get()}, chosen once).
     * Works because JMH forks a fresh JVM per parameter combination and this runs before anything
     * touches the engine; with {@code -f 0} the second combination would silently reuse the first
     * choice, so that is refused.
     */
    static void useKernels(String impl) {
        switch (impl) {
            case "scalar" -> System.setProperty("vectorlstm.kernels", "scalar");
            case "panama" -> System.clearProperty("vectorlstm.kernels");
            default -> throw new IllegalArgumentException("impl must be scalar or panama, got " + impl);
        }
        if ((KernelProvider.get() instanceof ScalarKernels) != impl.equals("scalar")) {
            throw new IllegalStateException("this JVM already chose " + KernelProvider.get().description()
                    + ": end-to-end benchmarks need a fork per impl (do not pass -f 0)");
        }
    }

    /** The seed model ({@code ./lstm demo} and {@code ./lstm bench}): Embedding(5000, 32, 500) → LSTM(100) → Dense(1, sigmoid). */
    static Sequential seedModel() {
        return SeedModel.build(SEED_VOCABULARY, SEED_STEPS, 7);
    }

    /** The seed model with an Embedding of no fixed length (Keras 3's {@code Embedding(5000, 32)} without a fixed {@code Input}): scored at each sequence's length. */
    static Sequential seedModelOfAnyLength() {
        return SeedModel.build(SEED_VOCABULARY, Shape.VARIABLE, 7);
    }

    /** {@code n} reviews of {@code steps} ids: {@code pads} zeros (pre-padding), then random ids in [1, vocabulary). */
    static int[][] reviews(int n, int steps, int pads, int vocabulary, SplittableRandom rnd) {
        int[][] x = new int[n][steps];
        for (int[] review : x) for (int t = pads; t < steps; t++) review[t] = 1 + rnd.nextInt(vocabulary - 1);
        return x;
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
