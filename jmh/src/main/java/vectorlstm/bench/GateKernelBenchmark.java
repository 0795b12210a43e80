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
 * The element-wise LSTM gate kernels alone, one time step of {@code batch} rows of {@code units}
 * cells: {@code lstmGatesForward} (3 sigmoids + 2 tanh per cell) and {@code lstmGatesBackward}
 * (1 tanh per cell plus arithmetic).
 *
 * <p>Both kernels overwrite their inputs in place (forward: z → activations; backward: gates → dz
 * and dc → dc_{t-1}). Re-running them on their own output would drift towards degenerate values
 * (fixed points, eventually denormals in backward), so each invocation first restores the
 * overwritten operands from pristine copies. The restore is inside the measured time (these
 * kernels take microseconds, too short for JMH's Level.Invocation set-up); the
 * {@code *RestoreOnly} baselines measure just that copy (it also leaves the operands hot in
 * cache, as the preceding gemm does in the engine). Their score does not depend on {@code impl}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class GateKernelBenchmark {

    @Param({"scalar", "panama"})
    String impl;

    @Param({"32"})
    int batch;

    @Param({"100", "133"})
    int units;

    Kernels kernels;
    Arena arena;
    long zFloats, sFloats;
    MemorySegment zInput;      // [b, 4H] pristine pre-activations (forward input)
    MemorySegment gatesInput;  // [b, 4H] pristine activations in (0,1) / (-1,1) (backward input)
    MemorySegment dcInput;     // [b, H] pristine dc from step t+1
    MemorySegment z;           // working z / gates buffer
    MemorySegment cPrev, c, tanhC, scratchTanhC, h, dh, dc;

    @Setup
    public void setUp() {
        kernels = BenchSupport.kernels(impl);
        arena = Arena.ofShared();
        zFloats = (long) batch * 4 * units;
        sFloats = (long) batch * units;
        zInput = BenchSupport.floats(arena, zFloats);
        gatesInput = BenchSupport.floats(arena, zFloats);
        dcInput = BenchSupport.floats(arena, sFloats);
        z = BenchSupport.floats(arena, zFloats);
        cPrev = BenchSupport.floats(arena, sFloats);
        c = BenchSupport.floats(arena, sFloats);
        h = BenchSupport.floats(arena, sFloats);
        tanhC = BenchSupport.floats(arena, sFloats);
        scratchTanhC = BenchSupport.floats(arena, sFloats);
        dh = BenchSupport.floats(arena, sFloats);
        dc = BenchSupport.floats(arena, sFloats);
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        BenchSupport.fillUniform(zInput, zFloats, -2f, 2f, rnd);
        BenchSupport.fillUniform(cPrev, sFloats, -1f, 1f, rnd);
        BenchSupport.fillUniform(c, sFloats, -1f, 1f, rnd);   // c_t as forward would have left it
        BenchSupport.fillUniform(dh, sFloats, -0.1f, 0.1f, rnd);
        BenchSupport.fillUniform(dcInput, sFloats, -0.1f, 0.1f, rnd);
        // Realistic backward input: the activations forward produces from zInput.
        BenchSupport.copy(zInput, gatesInput, zFloats);
        MemorySegment scratchC = BenchSupport.floats(arena, sFloats), scratchH = BenchSupport.floats(arena, sFloats);
        kernels.lstmGatesForward(batch, units, gatesInput, 0, cPrev, 0, scratchC, 0, tanhC, 0, scratchH, 0);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment forward() {
        BenchSupport.copy(zInput, z, zFloats);
        kernels.lstmGatesForward(batch, units, z, 0, cPrev, 0, c, 0, scratchTanhC, 0, h, 0);
        return h;
    }

    @Benchmark
    public MemorySegment backward() {
        BenchSupport.copy(gatesInput, z, zFloats);
        BenchSupport.copy(dcInput, dc, sFloats);
        kernels.lstmGatesBackward(batch, units, z, 0, cPrev, 0, tanhC, 0, dh, 0, dc, 0);
        return dc;
    }

    /** {@link #forward} with Keras 2's hard sigmoid for i, f, o (models saved by Keras 2). */
    @Benchmark
    public MemorySegment forwardHardSigmoid() {
        BenchSupport.copy(zInput, z, zFloats);
        kernels.lstmGatesForwardHard(batch, units, 0.2f, z, 0, cPrev, 0, c, 0, scratchTanhC, 0, h, 0);
        return h;
    }

    /** {@link #backward} of the hard-sigmoid gates. */
    @Benchmark
    public MemorySegment backwardHardSigmoid() {
        BenchSupport.copy(gatesInput, z, zFloats);
        BenchSupport.copy(dcInput, dc, sFloats);
        kernels.lstmGatesBackwardHard(batch, units, 0.2f, z, 0, cPrev, 0, tanhC, 0, dh, 0, dc, 0);
        return dc;
    }

    /** Baseline: the restore that {@link #forward} starts with. */
    @Benchmark
    public MemorySegment forwardRestoreOnly() {
        BenchSupport.copy(zInput, z, zFloats);
        return z;
    }

    /** Baseline: the restore that {@link #backward} starts with. */
    @Benchmark
    public MemorySegment backwardRestoreOnly() {
        BenchSupport.copy(gatesInput, z, zFloats);
        BenchSupport.copy(dcInput, dc, sFloats);
        return dc;
    }
}
