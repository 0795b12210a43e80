package vectorlstm.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * LSTM and GRU backward hand their bulk products to the pass's {@link TileRunner}, which may run
 * the tiles in any order on any thread (model.TileBoard): every gradient must keep the bits it has
 * when the tiles run in order on the calling thread. Sizes overrun whole vectors and tiles
 * (37 units: 148 LSTM gate columns, dW's halves at 96; 1,800 rows: 2 dx tiles of 1,024).
 */
class RecurrentGradientTilesTest {
    private static final int T = 45, BATCH = 40, FEATURES = 19, UNITS = 37;
    private ExecutorService other;

    @BeforeEach void open() { other = Executors.newSingleThreadExecutor(); }
    @AfterEach void close() { other.shutdownNow(); }

    /** Tiles in reverse order, each on another thread. */
    private TileRunner reversedOnAnotherThread(int[] tilesRun) {
        return (count, work) -> {
            for (int i = count - 1; i >= 0; i--) {
                int tile = i;
                Future<?> f = other.submit(() -> work.accept(tile));
                try {
                    f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                tilesRun[0]++;
            }
        };
    }

    /** Gradients of every parameter and of the input after one forward/backward with the given runner. */
    private List<float[]> gradients(String path, TileRunner runner) {
        boolean sharedPadding = path.equals("lstm shared padding"), masked = path.contains("masked");
        Arena shared = Arena.ofShared();  // the runner's other thread reads and writes these
        try {
            RecurrentLayer layer = path.startsWith("gru") ? new Gru(UNITS, false, false, !path.contains("reset before")) : new Lstm(UNITS);
            layer.setInputGradientNeeded(true);
            layer.build(Shape.of(T, FEATURES));
            Slab slab = Slab.allocate(shared, 64 << 20);
            Random rng = new Random(1);
            for (Parameter p : layer.parameters()) {
                Tensor t = slab.tensor(p.shape());
                for (long i = 0; i < t.size(); i++) t.set(i, (float) (rng.nextGaussian() * 0.3));
                p.bind(t);
            }
            Tensor x = slab.tensor(T, BATCH, FEATURES);
            for (long i = 0; i < x.size(); i++) x.set(i, (float) rng.nextGaussian());
            Layer.State state = layer.newState(slab, BATCH, T, true);
            int[] joins = new int[BATCH];
            for (int n = 0; n < BATCH; n++) joins[n] = n * T / (2 * BATCH);  // ascending, as staging sorts them
            Tensor mask = null;
            if (masked) {  // rows ordered longest first, as staging orders masked batches
                mask = slab.tensor(T, BATCH);
                for (int t = 0; t < T; t++) for (int n = 0; n < BATCH; n++) mask.set((long) t * BATCH + n, t < T - n / 2 ? 1f : 0f);
            }
            if (sharedPadding) {
                Tensor padRow = slab.tensor(1, FEATURES);
                for (long i = 0; i < padRow.size(); i++) padRow.set(i, (float) rng.nextGaussian());
                for (int n = 0; n < BATCH; n++) for (int t = 0; t < joins[n]; t++) {
                    for (int f = 0; f < FEATURES; f++) x.set(((long) t * BATCH + n) * FEATURES + f, padRow.get(f));
                }
                ((Lstm) layer).skipLeadingPadding(state, joins, padRow);
            }
            Tensor out = layer.forward(state, x, mask, Pass.training(BATCH, 7).tiles(runner));
            if (layer instanceof Lstm) assertEquals(sharedPadding, ((Lstm.LstmState) state).viaPadding, "the path under test");
            Tensor dOut = slab.tensor(out.shape());
            for (long i = 0; i < dOut.size(); i++) dOut.set(i, (float) rng.nextGaussian());
            List<Tensor> grads = new ArrayList<>();
            for (Parameter p : layer.parameters()) grads.add(slab.tensor(p.shape()));
            Tensor dx = layer.backward(state, dOut, grads, BATCH);
            List<float[]> result = new ArrayList<>();
            for (Tensor g : grads) result.add(g.toArray());
            result.add(dx.toArray());
            return result;
        } finally {
            shared.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm shared padding", "lstm masked", "lstm", "gru", "gru masked", "gru reset before"})
    void tilesInAnyOrderOnAnyThreadGiveTheSameBits(String path) {
        List<float[]> alone = gradients(path, TileRunner.ALONE);
        int[] tilesRun = {0};
        List<float[]> moved = gradients(path, reversedOnAnotherThread(tilesRun));
        assertTrue(tilesRun[0] >= 4 + 1, "tiles went through the runner: " + tilesRun[0]);
        String[] names = {"dW", "dU", "dbias", "dx"};
        for (int i = 0; i < alone.size(); i++) assertArrayEquals(alone.get(i), moved.get(i), names[i] + " (" + path + ")");
        boolean anyNonZero = false;
        for (float v : alone.get(1)) anyNonZero |= v != 0;
        assertTrue(anyNonZero, "dU is not all zero");
    }
}
