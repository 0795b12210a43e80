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

import vectorlstm.kernels.Kernels;

/**
 * The recurrent part of one LSTM forward pass over a whole sequence of {@value #STEPS} steps, as
 * {@code vectorlstm.layers.Lstm#forward} runs it after the bulk input projection:
 *
 * <pre>
 * for t in 0..T-1:
 *     z_t += h_{t-1} · U                       gemm(b, 4H, H, ...)   (mat-vec for batch 1)
 *     z_t -> activations; c_t, h_t             lstmGatesForward(b, H, ...)
 * </pre>
 *
 * <p>The score is the time for one full sequence (µs). Flops of the gemm part:
 * {@code 2 · b · H · 4H · T} (batch 1, H=100: 40 MFLOP; H=133: 70.8 MFLOP).
 *
 * <p>{@code z} starts as a fixed random "input projection" (x·W + bias), kept pristine in
 * {@code zInput}. The gates kernel overwrites z with activations in place, so each invocation of
 * {@link #sequence} first copies {@code zInput} into the working {@code z} (b·T·4H floats: 0.8 MB
 * for b=1, H=100; 34 MB for b=32, H=133). That copy is inside the measured time on purpose (no
 * Level.Invocation set-up), and it also leaves z warm in cache the way the preceding input-projection
 * gemm does in the engine. {@link #restoreOnly} measures just that copy, so its share is known;
 * its score does not depend on {@code impl} (the two rows double as a noise gauge).
 *
 * <p>h_0 and c_0 (slot 0 of h and c) stay zero: the kernels only write slots 1..T.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class GateStepBenchmark {
    static final int STEPS = 500;

    @Param({"scalar", "panama"})
    String impl;

    @Param({"100", "133"})
    int units;

    @Param({"1", "32"})
    int batch;

    Kernels kernels;
    Arena arena;
    MemorySegment u;       // [H, 4H] recurrent kernel
    MemorySegment zInput;  // [T, b, 4H] pristine pre-activations (input projection)
    MemorySegment z;       // [T, b, 4H] working copy, overwritten with activations
    MemorySegment c;       // [T+1, b, H]
    MemorySegment h;       // [T+1, b, H]
    MemorySegment tanhC;   // [T+1, b, H]
    long zFloats;

    @Setup
    public void setUp() {
        kernels = BenchSupport.kernels(impl);
        arena = Arena.ofShared();
        int g4 = 4 * units;
        zFloats = (long) STEPS * batch * g4;
        long stateFloats = (long) (STEPS + 1) * batch * units;
        u = BenchSupport.floats(arena, (long) units * g4);
        zInput = BenchSupport.floats(arena, zFloats);
        z = BenchSupport.floats(arena, zFloats);
        c = BenchSupport.floats(arena, stateFloats);
        h = BenchSupport.floats(arena, stateFloats);
        tanhC = BenchSupport.floats(arena, stateFloats);
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        // Glorot-like scale keeps h·U in a range where the gates are neither saturated nor linear.
        float limit = (float) Math.sqrt(6.0 / (units + g4));
        BenchSupport.fillUniform(u, (long) units * g4, -limit, limit, rnd);
        BenchSupport.fillUniform(zInput, zFloats, -1f, 1f, rnd);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** One sequence: restore z, then T steps of recurrent gemm + gates. Returns the last h value. */
    @Benchmark
    public float sequence() {
        BenchSupport.copy(zInput, z, zFloats);
        final Kernels k = kernels;
        final int hUnits = units, g4 = 4 * hUnits, b = batch;
        final long stepH = (long) b * hUnits, stepZ = (long) b * g4;
        for (int t = 0; t < STEPS; t++) {
            k.gemm(b, g4, hUnits, h, t * stepH, hUnits, 1, u, 0, g4, z, t * stepZ, g4);
            k.lstmGatesForward(b, hUnits, z, t * stepZ, c, t * stepH, c, (t + 1) * stepH, tanhC, (t + 1) * stepH, h, (t + 1) * stepH);
        }
        return h.getAtIndex(ValueLayout.JAVA_FLOAT, STEPS * stepH + stepH - 1);
    }

    /** Baseline: only the z restore that {@link #sequence} starts with. Independent of impl. */
    @Benchmark
    public MemorySegment restoreOnly() {
        BenchSupport.copy(zInput, z, zFloats);
        return z;
    }
}
