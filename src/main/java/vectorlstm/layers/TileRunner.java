package vectorlstm.layers;

import java.util.function.IntConsumer;

/**
 * Runs a layer's bulk work cut into independent tiles: on the calling thread alone, or with the
 * help of training threads that have finished their own share of the batch ({@code
 * model.TileBoard}). A tile must give the same bits whichever thread runs it and in whatever
 * order the tiles run, so a run stays bit-identical however they fall.
 */
public interface TileRunner {
    /** Runs tiles 0 .. count-1 of {@code work}; returns when every one is done. */
    void runAll(int count, IntConsumer work);

    /** Every tile on the calling thread, in order. */
    TileRunner ALONE = (count, work) -> {
        for (int i = 0; i < count; i++) work.accept(i);
    };
}
