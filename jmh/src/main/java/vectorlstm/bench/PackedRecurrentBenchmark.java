package vectorlstm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

import vectorlstm.kernels.GateLayout;
import vectorlstm.kernels.Kernels;

/**
 * One inference step's recurrent product {@code z += h·U} on the packed layout
 * ({@code Kernels.lstmRecurrentPacked}), for {@code rows} sequences: rows = 64 is the batched
 * predict chunk (U reused from L1 across rows), rows = 1 a single row streaming U from L2 (the
 * batch-1 scorer's own layout is measured by {@link RowPanelsBenchmark}). Flops per call: 2 · rows · H · 4H. Scalar and Panama in one run; force the
 * vector width with {@code -jvmArgsAppend -Dvectorlstm.bits=256}. z is reset from a pristine
 * copy inside the measurement (a 1.8 KB copy per row, small next to the product).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class PackedRecurrentBenchmark {
    @Param({"scalar", "panama"})
    String impl;

    @Param({"100", "37"})
    int units;

    @Param({"1", "64"})
    int rows;

    Kernels kernels;
    GateLayout layout;
    Arena arena;
    MemorySegment u, h, z, zInput;
    long zBytes;

    @Setup
    public void setUp() {
        kernels = BenchSupport.kernels(impl);
        layout = new GateLayout(units, kernels.gateBlock());
        arena = Arena.ofShared();
        int hp = layout.paddedUnits();
        MemorySegment keras = random(4L * units * units, 1);
        u = arena.allocate(layout.packedSize() * Float.BYTES, BenchSupport.ALIGN);
        layout.packRecurrent(keras, 0, u, 0);
        h = random((long) rows * hp, 2);
        zBytes = 4L * rows * hp * Float.BYTES;
        zInput = arena.allocate(zBytes, BenchSupport.ALIGN);
        MemorySegment row = random(4L * units, 3);
        for (int r = 0; r < rows; r++) layout.padRow(row, 0, zInput, 4L * r * hp);  // padding zero, as the kernel requires
        z = arena.allocate(zBytes, BenchSupport.ALIGN);
    }

    private MemorySegment random(long n, long seed) {
        MemorySegment s = arena.allocate(n * Float.BYTES, BenchSupport.ALIGN);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (r.nextDouble() * 0.2 - 0.1));
        return s;
    }

    @TearDown
    public void tearDown() { arena.close(); }

    @Benchmark
    public MemorySegment step() {
        MemorySegment.copy(zInput, 0, z, 0, zBytes);
        int hp = layout.paddedUnits();
        kernels.lstmRecurrentPacked(rows, layout, 0, layout.blocks(), u, h, 0, hp, z, 0, 4L * hp);
        return z;
    }
}
