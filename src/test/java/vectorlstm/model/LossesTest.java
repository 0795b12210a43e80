package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import vectorlstm.memory.Tensor;

/** The losses on logits whose answer is known: extreme values and NaN rows. */
class LossesTest {
    private static Tensor tensor(Arena arena, int rows, int cols, float... values) {
        MemorySegment s = arena.allocate((long) rows * cols * Float.BYTES, 64);
        for (int i = 0; i < values.length; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, values[i]);
        return cols == 1 ? Tensor.wrap(s, rows) : Tensor.wrap(s, rows, cols);
    }

    private static Loss.BatchResult run(Loss loss, Arena arena, int rows, int cols, float[] logits, float... targets) {
        Loss.BatchResult r = new Loss.BatchResult();
        loss.lossAndGradient(tensor(arena, rows, cols, logits), tensor(arena, rows, 1, targets), rows, 1f, tensor(arena, rows, cols), r);
        return r;
    }

    @Test
    void equalHugeLogitsStillGiveLogOfTheClassCount() {
        // Math.log(expSum) + max - z_y lost the log term in max: 1.375 at logits of 1e15, 0 at 1e17 (the answer is ln 4).
        try (Arena arena = Arena.ofConfined()) {
            for (float z : new float[] {1e6f, 1e15f, 1e17f, 1e20f}) {
                Loss.BatchResult r = run(new SparseCategoricalCrossentropy(), arena, 1, 4, new float[] {z, z, z, z}, 2);
                assertEquals(Math.log(4), r.lossSum, 1e-9, "logits " + z);
            }
        }
    }

    @Test
    void binaryAccuracyThresholdsTheFloatProbabilityAsKerasAndPredictDo() {
        // sigmoid(1e-8) is 0.5 in float32: class 0 for Keras' binary_accuracy and for predict; z > 0 said class 1.
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(3, run(new BinaryCrossentropy(), arena, 3, 1, new float[] {1e-8f, 2e-8f, 1e-3f}, 0, 0, 1).correct);
        }
    }

    @Test
    void aNaNOutputIsNeverARightAnswer() {
        // NaN > 0 is false and an all-NaN row's argmax stayed 0: both counted as right answers for class 0.
        try (Arena arena = Arena.ofConfined()) {
            Loss.BatchResult binary = run(new BinaryCrossentropy(), arena, 3, 1, new float[] {Float.NaN, -2f, 3f}, 0, 0, 1);
            assertEquals(2, binary.correct);
            assertTrue(Double.isNaN(binary.lossSum), "the loss says NaN as it is");
            Loss.BatchResult sparse = run(new SparseCategoricalCrossentropy(), arena, 3, 2,
                    new float[] {Float.NaN, Float.NaN, 1f, Float.NaN, 2f, -1f}, 0, 0, 0);
            assertEquals(1, sparse.correct, "only the finite row counts");
        }
    }
}
