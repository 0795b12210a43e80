package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.memory.Tensor;

/**
 * The two things {@link PackedLstm} computes once per weights version, with axpy instead of the
 * GEMM and the step kernel (a cold JVM's first model): the folded input table and the states
 * through all-padding input, both bit for bit. Also run at 128 and 256 bits and on the scalar
 * kernels (pom.xml).
 */
class PackedLstmTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /** 37 words (rows left over by 8- and 4-row blocks), 37 units (whole vectors and a tail at every width). */
    private static Sequential model() {
        Sequential m = new Sequential(new Embedding(37, 5, 23), new Lstm(37), new Dense(2, "softmax")).seed(11);
        m.build();
        Random r = new Random(4);
        for (var p : m.layers().get(1).parameters()) {  // a bias of its own, not zeros and ones
            Tensor t = p.value();
            if (t.shape().length == 1) for (long i = 0; i < t.size(); i++) t.set(i, (float) r.nextGaussian());
        }
        return m;
    }

    private static MemorySegment randomRow(Arena arena, int n) {
        MemorySegment s = arena.allocate((long) n * Float.BYTES, 64);
        Random r = new Random(9);
        for (int i = 0; i < n; i++) s.setAtIndex(F, i, (float) r.nextGaussian());
        return s;
    }

    @Test
    void theTableIsBiasPlusEmbeddingTimesKernelSummedInOrder() {
        try (Sequential m = model(); Arena arena = Arena.ofConfined()) {
            Embedding embedding = (Embedding) m.layers().get(0);
            Lstm lstm = (Lstm) m.layers().get(1);
            PackedLstm p = new PackedLstm(m.layers(), 0);
            int h = lstm.units(), hp = p.paddedUnits, features = embedding.outputDim();
            MemorySegment e = embedding.embeddings().value().segment(), w = lstm.kernel().value().segment(), bias = lstm.bias().value().segment();
            MemorySegment z = arena.allocate(4L * hp * Float.BYTES, 64);
            for (int v = 0; v < embedding.inputDim(); v++) {
                p.inputProjection(v, 0, hp, z, 0);
                for (int g = 0; g < 4; g++) {
                    for (int u = 0; u < h; u++) {
                        int column = g * h + u;
                        float expected = bias.getAtIndex(F, column);
                        for (int d = 0; d < features; d++) expected = Math.fma(e.getAtIndex(F, (long) v * features + d), w.getAtIndex(F, (long) d * 4 * h + column), expected);
                        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(z.getAtIndex(F, (long) g * hp + u)),
                                "word " + v + ", gate " + g + ", unit " + u);
                    }
                }
            }
        }
    }

    /** The head's copy gives Dense's own bits; a copy of the wrong size is refused (a longer one ran other tails). */
    @Test
    void theHeadOnItsCopyGivesTheDenseLayersBitsAndRefusesAWrongCopy() {
        try (Sequential m = model(); Arena arena = Arena.ofConfined()) {
            PackedLstm p = new PackedLstm(m.layers(), 0);
            Dense dense = (Dense) m.layers().get(2);
            MemorySegment h = randomRow(arena, p.paddedUnits), a = arena.allocate(8), b = arena.allocate(8);
            dense.forwardRow(h, 0, a, 0);
            p.head(h, 0, b, 0);
            for (int j = 0; j < 2; j++) assertEquals(Float.floatToRawIntBits(a.getAtIndex(F, j)), Float.floatToRawIntBits(b.getAtIndex(F, j)), "output " + j);
            MemorySegment kernel = dense.kernel().value().segment(), bias = dense.bias().value().segment();
            MemorySegment longer = arena.allocate(kernel.byteSize() + Float.BYTES);
            assertThrows(IllegalArgumentException.class, () -> dense.forwardRow(longer, bias, h, 0, a, 0));
            assertThrows(IllegalArgumentException.class, () -> dense.forwardRow(kernel, longer, h, 0, a, 0));
            p.release();
        }
    }

    @Test
    void thePaddingStatesAreTheStepKernelsFromZero() {
        try (Sequential m = model(); Arena arena = Arena.ofConfined()) {
            PackedLstm p = new PackedLstm(m.layers(), 0);
            int hp = p.paddedUnits, units = p.units;
            MemorySegment h = arena.allocate(2L * hp * Float.BYTES, 64), c = arena.allocate(2L * hp * Float.BYTES, 64);
            MemorySegment z = arena.allocate((long) p.whole.panels().paddedWidth() * Float.BYTES, 64);
            MemorySegment tanhC = arena.allocate((long) hp * Float.BYTES, 64);
            for (int t = 0; t < p.timesteps; t++) {
                long prev = (long) (t & 1) * hp, next = (long) ((t + 1) & 1) * hp;
                p.inputProjection(0, 0, units, z, 0);
                p.step(t, p.whole, z, 0, h, prev, c, prev, c, next, h, next, tanhC);
                for (int u = 0; u < units; u++) {
                    assertEquals(Float.floatToRawIntBits(h.getAtIndex(F, next + u)), Float.floatToRawIntBits(p.padding().h().getAtIndex(F, (long) (t + 1) * hp + u)),
                            "h, step " + t + ", unit " + u);
                    assertEquals(Float.floatToRawIntBits(c.getAtIndex(F, next + u)), Float.floatToRawIntBits(p.padding().c().getAtIndex(F, (long) (t + 1) * hp + u)),
                            "c, step " + t + ", unit " + u);
                }
            }
        }
    }
    /**
     * A model without a fixed length has no padding states until a sequence needs them; they grow
     * (by the step kernel, on the version's packed weights) to the bits a fixed-length model with
     * the same weights computes at build, keep what they had, and stop at their memory bound.
     */
    @Test
    void aVariableLengthModelGrowsThePaddingStatesToTheFixedLengthBits() {
        try (Sequential fixed = model();
             Sequential any = new Sequential(new Embedding(37, 5, vectorlstm.layers.Shape.VARIABLE), new Lstm(37), new Dense(2, "softmax"))) {
            any.build();
            any.setWeights(fixed.getWeights());
            PackedLstm expected = new PackedLstm(fixed.layers(), 0), p = new PackedLstm(any.layers(), 0);
            assertEquals(0, p.padding().steps());
            assertEquals(0, p.paddingThrough(0).steps());
            PackedLstm.Padding first = p.paddingThrough(5);
            assertEquals(5, first.steps());
            assertTrue(p.paddingThrough(3) == first, "no growth when the states reach far enough");
            assertEquals(10, p.paddingThrough(6).steps(), "grown at least twice as far");
            assertEquals(23, p.paddingThrough(23).steps());
            int hp = p.paddedUnits;
            for (long i = 0; i < 24L * hp; i++) {
                String what = "step " + i / hp + ", unit " + i % hp;
                assertEquals(Float.floatToRawIntBits(expected.padding().h().getAtIndex(F, i)), Float.floatToRawIntBits(p.padding().h().getAtIndex(F, i)), "h, " + what);
                assertEquals(Float.floatToRawIntBits(expected.padding().c().getAtIndex(F, i)), Float.floatToRawIntBits(p.padding().c().getAtIndex(F, i)), "c, " + what);
            }
            PackedLstm.Padding farthest = p.paddingThrough(Integer.MAX_VALUE);
            assertTrue(farthest.steps() <= vectorlstm.layers.Shape.MAX_STEPS, farthest.steps() + " steps");
            assertTrue(2L * (farthest.steps() + 1) * hp * Float.BYTES <= PackedLstm.MAX_PADDING_BYTES, farthest.steps() + " steps");
            assertTrue(p.paddingThrough(Integer.MAX_VALUE) == farthest, "no growth beyond the bound");
            for (long i = 0; i < 24L * hp; i++) {
                assertEquals(Float.floatToRawIntBits(expected.padding().h().getAtIndex(F, i)), Float.floatToRawIntBits(farthest.h().getAtIndex(F, i)), "kept, h " + i);
            }
            boolean computed = false;  // the zero state is not a fixed point with these biases: h_T is not all zeros
            for (int u = 0; u < p.units; u++) computed |= farthest.h().getAtIndex(F, (long) farthest.steps() * hp + u) != 0;
            assertTrue(computed, "the last padding state was never computed");
            expected.release();
            p.release();
        }
    }

    /**
     * Growing leaves the old copies in the version's memory (calls may still read them): the
     * bound holds for all of them together. Doubling requests up to the bound took 177 MB of
     * states at H = 100 against the 64 MB the bound promised.
     */
    @Test
    void thePaddingStatesOfEveryGrowthTogetherStayWithinTheirBound() {
        try (Sequential any = new Sequential(new Embedding(37, 5, vectorlstm.layers.Shape.VARIABLE), new Lstm(37), new Dense(2, "softmax"))) {
            any.build();
            PackedLstm p = new PackedLstm(any.layers(), 0);
            for (int steps = 1; steps < vectorlstm.layers.Shape.MAX_STEPS; steps *= 2) p.paddingThrough(steps);
            int farthest = p.paddingThrough(Integer.MAX_VALUE).steps();
            assertTrue(farthest > 10_000, "states through " + farthest + " steps");
            assertTrue(p.paddingBytesForTests() <= PackedLstm.MAX_PADDING_BYTES, p.paddingBytesForTests() + " bytes of padding states");
            p.release();
        }
    }

    /**
     * A version's memory is freed once the model has a newer one and no scorer or prediction holds
     * it, and the current one when the model and its scorers are closed. It was left to the
     * garbage collector: a server reloading a 20,000-word model grew by 42 MB a reload, to 3.4 GB
     * after 80, while its heap (and so its collections) hardly grew.
     */
    @Test
    void aVersionIsFreedWhenTheLastScorerOrPredictionLetsItGo() {
        int[][] x = new int[3][23];
        x[1][22] = 5;
        Sequential m = model();
        m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
        Scorer scorer = m.newScorer(), idle = m.newScorer();
        float[] before = scorer.scoreAll(x[1]);
        PackedLstm first = m.packedLstm();
        m.setWeights(m.getWeights());  // a new weights version (the same values)
        m.predict(x, 2);  // builds the next version and lets it go at its end
        PackedLstm second = m.packedLstm();
        assertTrue(first != second && first.uPacked.scope().isAlive(), "two scorers still hold the first version");
        assertArrayEquals(before, scorer.scoreAll(x[1]), "the scorer moves to the new version");
        assertTrue(first.uPacked.scope().isAlive(), "the idle scorer still holds it");
        idle.close();
        assertFalse(first.uPacked.scope().isAlive(), "no one holds the first version: freed");
        assertFalse(first.retain(), "a freed version is never taken again");
        scorer.close();
        assertTrue(second.uPacked.scope().isAlive(), "the model's current version");
        m.close();
        assertFalse(second.uPacked.scope().isAlive(), "model and scorers closed: freed");
    }

    /** A scorer left open keeps its version's memory past the model's close, and frees it when it closes. */
    @Test
    void aScorerOpenAfterTheModelClosedFreesItsVersionWhenItCloses() {
        Sequential m = model();
        m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
        Scorer scorer = m.newScorer();
        PackedLstm version = m.packedLstm();
        m.close();
        assertTrue(version.uPacked.scope().isAlive());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scorer.score(new int[23]));
        assertEquals("the model is closed", e.getMessage());
        scorer.close();
        assertFalse(version.uPacked.scope().isAlive());
    }
    /**
     * A scorer dropped without a close lets its version go once it is collected (its table is
     * tens of MB): with the version's memory freed only by releases, an unclosed scorer held it
     * for good, 40 MB a model in a loop of load, score, close.
     */
    @Test
    void aScorerDroppedWithoutACloseLetsItsVersionGoWhenCollected() throws InterruptedException {
        Sequential m = model();
        m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
        long helpersBefore = helperThreads();
        m.newScorer().score(new int[23]);  // never closed, never referred to again
        m.newScorer(2).score(new int[23]);  // the same, with a helper thread
        assertEquals(helpersBefore + 1, helperThreads());
        PackedLstm version = m.packedLstm();
        m.close();
        for (int i = 0; i < 200 && (version.uPacked.scope().isAlive() || helperThreads() > helpersBefore); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertFalse(version.uPacked.scope().isAlive(), "the dropped scorers' version is freed after a collection");
        assertEquals(helpersBefore, helperThreads(), "the dropped two-thread scorer's helper stopped (200 dropped scorers left 200 threads)");
    }

    private static long helperThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals("vector-lstm-scorer-helper")).count();
    }
}
