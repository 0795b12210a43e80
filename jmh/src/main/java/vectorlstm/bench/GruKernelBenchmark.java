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

/**
 * The element-wise GRU kernels of one time step of {@code batch} rows of {@code units} cells,
 * without the recurrent GEMMs between them: forward is {@code gruGatesForward} (2 sigmoids per
 * cell, and r ⊙ h for reset_before) then {@code gruCandidateForward} (1 tanh); backward is
 * {@code gruCandidateBackward}, then {@code gruResetBackward} for reset_before.
 *
 * <p>As in {@link GateKernelBenchmark} the kernels overwrite their inputs, so each invocation
 * first restores them from pristine copies, inside the measured time; {@code *RestoreOnly}
 * measure just that copy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class GruKernelBenchmark {

    @Param({"scalar", "panama"})
    String impl;

    @Param({"32"})
    int batch;

    @Param({"100", "133"})
    int units;

    @Param({"true", "false"})
    boolean resetAfter;

    Kernels kernels;
    Arena arena;
    long gFloats, sFloats;
    MemorySegment gatesInput;  // [b, 3H] pristine x·W + bias (forward input)
    MemorySegment recInput;    // [b, 3H] pristine h·U (+ bias)
    MemorySegment actInput;    // [b, 3H] pristine activations z, r, hh (backward input)
    MemorySegment dhInput;     // [b, H] pristine gradient reaching h_t
    MemorySegment gates, rec, hPrev, h, rh, dh, drh;

    @Setup
    public void setUp() {
        kernels = BenchSupport.kernels(impl);
        arena = Arena.ofShared();
        gFloats = (long) batch * 3 * units;
        sFloats = (long) batch * units;
        gatesInput = BenchSupport.floats(arena, gFloats);
        recInput = BenchSupport.floats(arena, gFloats);
        actInput = BenchSupport.floats(arena, gFloats);
        dhInput = BenchSupport.floats(arena, sFloats);
        gates = BenchSupport.floats(arena, gFloats);
        rec = BenchSupport.floats(arena, gFloats);
        hPrev = BenchSupport.floats(arena, sFloats);
        h = BenchSupport.floats(arena, sFloats);
        rh = BenchSupport.floats(arena, sFloats);
        dh = BenchSupport.floats(arena, sFloats);
        drh = BenchSupport.floats(arena, sFloats);
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        BenchSupport.fillUniform(gatesInput, gFloats, -2f, 2f, rnd);
        BenchSupport.fillUniform(recInput, gFloats, -1f, 1f, rnd);
        BenchSupport.fillUniform(hPrev, sFloats, -1f, 1f, rnd);
        BenchSupport.fillUniform(dhInput, sFloats, -0.1f, 0.1f, rnd);
        BenchSupport.fillUniform(drh, sFloats, -0.1f, 0.1f, rnd);
        // Realistic backward input: the activations forward produces.
        BenchSupport.copy(gatesInput, actInput, gFloats);
        BenchSupport.copy(recInput, rec, gFloats);
        kernels.gruGatesForward(batch, units, actInput, 0, rec, 0, hPrev, 0, resetAfter ? null : rh, 0);
        kernels.gruCandidateForward(batch, units, resetAfter, actInput, 0, rec, 0, hPrev, 0, h, 0);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment forward() {
        BenchSupport.copy(gatesInput, gates, gFloats);
        kernels.gruGatesForward(batch, units, gates, 0, recInput, 0, hPrev, 0, resetAfter ? null : rh, 0);
        kernels.gruCandidateForward(batch, units, resetAfter, gates, 0, recInput, 0, hPrev, 0, h, 0);
        return h;
    }

    @Benchmark
    public MemorySegment backward() {
        BenchSupport.copy(actInput, gates, gFloats);
        BenchSupport.copy(recInput, rec, gFloats);
        BenchSupport.copy(dhInput, dh, sFloats);
        kernels.gruCandidateBackward(batch, units, resetAfter, gates, 0, rec, 0, hPrev, 0, dh, 0);
        if (!resetAfter) kernels.gruResetBackward(batch, units, gates, 0, drh, 0, hPrev, 0, dh, 0);
        return dh;
    }

    /** Baseline: the restore that {@link #forward} starts with. */
    @Benchmark
    public MemorySegment forwardRestoreOnly() {
        BenchSupport.copy(gatesInput, gates, gFloats);
        return gates;
    }

    /** Baseline: the restore that {@link #backward} starts with. */
    @Benchmark
    public MemorySegment backwardRestoreOnly() {
        BenchSupport.copy(actInput, gates, gFloats);
        BenchSupport.copy(recInput, rec, gFloats);
        BenchSupport.copy(dhInput, dh, sFloats);
        return dh;
    }
}
