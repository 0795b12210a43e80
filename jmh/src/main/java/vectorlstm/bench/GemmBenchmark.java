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
 * {@code C[m,n] += A[m,k] · B[k,n]} for the shapes the LSTM layer actually runs.
 *
 * <p>{@code shape} is {@code "m,n,k"} for {@code A·B} (A row-major [m,k]: strides k, 1), or
 * {@code "m,n,k,T"} for {@code Aᵀ·B} with A stored as [k,m] (strides 1, m): the weight-gradient
 * form {@code dU += hᵀ·dz}. Two forms compute {@code C += A·Bᵀ} with B [n,k]:
 * {@code "m,n,k,B"} runs {@code gemmTransB} on B as it is (dot products), {@code "m,n,k,P"} runs
 * {@code gemm} on a transposed copy {@code Bᵀ [k, paddedWidth(n)]} made by {@code transpose} in
 * the set-up (the layer makes it once per weight update, so it is not timed). Flops per call:
 * {@code 2·m·n·k}. On the command line JMH splits {@code -p} values at commas, so there write the
 * same shapes with {@code x}: {@code -p shape=1x400x100}, {@code -p shape=100x400x16000xT}.
 *
 * <p>The training shapes (batch 64 split over 2 workers: b = 32 rows, T = 500, H = 100, D = 32):
 * <ul>
 *   <li>{@code 32,400,100}: z += h_{t-1}·U, every forward step — 2.56 MFLOP</li>
 *   <li>{@code 32,100,400,B} / {@code P}: dh = dz·Uᵀ, every backward step — 2.56 MFLOP</li>
 *   <li>{@code 16000,400,32}: input projection x·W over T·b = 16,000 rows — 409.6 MFLOP</li>
 *   <li>{@code 100,400,16000,T}: dU += hᵀ·dz — 1280 MFLOP</li>
 *   <li>{@code 32,400,16000,T}: dW += xᵀ·dz — 409.6 MFLOP</li>
 *   <li>{@code 16000,32,400,B} / {@code P}: dx = dz·Wᵀ — 409.6 MFLOP</li>
 *   <li>{@code 1,400,100}: batch-1 scoring step, a mat-vec — 0.08 MFLOP</li>
 * </ul>
 *
 * <p>C is not reset between invocations: it just keeps accumulating (a bounded random walk with
 * these inputs; float speed does not depend on magnitude outside denormals, which cannot occur
 * here). Resetting it would add a memset to the measured time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class GemmBenchmark {

    @Param({"scalar", "panama"})
    String impl;

    @Param({"32,400,100", "32,100,400,B", "32,100,400,P", "16000,400,32", "100,400,16000,T", "32,400,16000,T",
            "16000,32,400,B", "16000,32,400,P", "1,400,100"})
    String shape;

    Kernels kernels;
    Arena arena;
    int m, n, k;
    long aRowStride, aColStride, ldb;
    boolean transposedB;
    MemorySegment a, b, c;

    @Setup
    public void setUp() {
        kernels = BenchSupport.kernels(impl);
        String[] parts = shape.split("[,x]");   // "m,n,k[,T]" or, for -p on the command line, "mxnxk[xT]"
        if (parts.length < 3 || parts.length > 4 || (parts.length == 4 && !parts[3].trim().matches("[TBP]"))) {
            throw new IllegalArgumentException("shape must be \"m,n,k\" or \"m,n,k,T|B|P\" (or with x: \"mxnxk\", \"mxnxkxT\"), got "
                    + shape + (parts.length == 1 ? " (JMH splits -p values at commas: write 1x400x100)" : ""));
        }
        m = Integer.parseInt(parts[0].trim());
        n = Integer.parseInt(parts[1].trim());
        k = Integer.parseInt(parts[2].trim());
        boolean transposedA = parts.length == 4 && parts[3].trim().equals("T");
        transposedB = parts.length == 4 && parts[3].trim().equals("B");
        boolean paddedCopy = parts.length == 4 && parts[3].trim().equals("P");
        aRowStride = transposedA ? 1 : k;   // A(i,p) = a[i*aRowStride + p*aColStride]
        aColStride = transposedA ? m : 1;
        arena = Arena.ofShared();
        a = BenchSupport.floats(arena, (long) m * k);
        b = BenchSupport.floats(arena, (long) k * n);
        c = BenchSupport.floats(arena, (long) m * n);
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        BenchSupport.fillUniform(a, (long) m * k, -1f, 1f, rnd);
        BenchSupport.fillUniform(b, (long) k * n, -1f, 1f, rnd);
        BenchSupport.fillUniform(c, (long) m * n, -1f, 1f, rnd);
        ldb = transposedB ? k : n;
        if (paddedCopy) {  // b holds B [n,k]; the gemm reads its transposed copy [k, paddedWidth(n)]
            ldb = Kernels.paddedWidth(n);
            MemorySegment bT = BenchSupport.floats(arena, (long) k * ldb);
            kernels.transpose(n, k, b, 0, k, bT, 0, ldb);
            b = bT;
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment gemm() {
        if (transposedB) {
            kernels.gemmTransB(m, n, k, a, 0, k, b, 0, k, c, 0, n);
        } else {
            kernels.gemm(m, n, k, a, 0, aRowStride, aColStride, b, 0, ldb, c, 0, n);
        }
        return c;
    }
}
