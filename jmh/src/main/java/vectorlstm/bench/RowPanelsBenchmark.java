package vectorlstm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vectorlstm.kernels.Kernels;
import vectorlstm.kernels.RowPanels;

/**
 * One batch-1 scoring step's recurrent product {@code z += h·U} on {@link RowPanels}
 * ({@code Kernels.lstmRecurrentRow}), for all the units (a one-thread scorer) or the first half
 * (a two-thread scorer's caller), U streamed once from L2. Flops per call: 2 · H · 4n. Scalar and
 * Panama in one run; force the vector width with {@code -jvmArgsAppend -Dvectorlstm.bits=256}.
 * z is reset from a pristine copy inside the measurement (1.6 KB, small next to the product).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class RowPanelsBenchmark {
    @Param({"scalar", "panama"})
    String impl;

    @Param({"100", "37"})
    int units;

    /** "all" the units, or the "half" a two-thread scorer's caller owns. */
    @Param({"all", "half"})
    String share;

    Kernels kernels;
    RowPanels layout;
    Arena arena;
    MemorySegment u, h, z, zInput;

    @Setup
    public void setUp() {
        kernels = BenchSupport.kernels(impl);
        layout = new RowPanels(units, 0, share.equals("all") ? units : Math.max(1, units / 2), kernels.gateBlock());
        arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        MemorySegment keras = BenchSupport.floats(arena, 4L * units * units);
        BenchSupport.fillUniform(keras, 4L * units * units, -0.1f, 0.1f, rnd);
        u = BenchSupport.floats(arena, layout.packedSize());
        layout.pack(keras, 0, u, 0);
        h = BenchSupport.floats(arena, units);
        BenchSupport.fillUniform(h, units, -0.1f, 0.1f, rnd);
        zInput = BenchSupport.floats(arena, layout.paddedWidth());
        BenchSupport.fillUniform(zInput, layout.paddedWidth(), -0.1f, 0.1f, rnd);
        z = BenchSupport.floats(arena, layout.paddedWidth());
    }

    @TearDown
    public void tearDown() { arena.close(); }

    private boolean backward;

    @Benchmark
    public MemorySegment step() {
        BenchSupport.copy(zInput, z, layout.paddedWidth());
        backward = !backward;  // as a scorer runs its steps: the panels' order alternates
        kernels.lstmRecurrentRow(layout, u, h, 0, z, 0, 0, units, backward);
        return z;
    }
}
