package vectorlstm.importer.onnx;

import java.util.ArrayList;
import java.util.List;
import vectorlstm.importer.ImportException;

/** What the walk over the graph has recognised so far, in Keras terms and Keras layouts. */
final class ModelParts {
    /** Time steps of the input, or -1 when the graph leaves them dynamic. */
    int steps;
    float[] embedding;
    int vocab, embeddingDim;
    final List<Recurrent> recurrent = new ArrayList<>();
    Dense dense;

    /** One LSTM or GRU node: Keras weights for each direction (kernel, recurrent kernel, bias). */
    static final class Recurrent {
        final String cell;         // "LSTM" or "GRU"
        final int directions, units, inputWidth;
        final boolean resetAfter;  // GRU only
        final List<float[]> weights = new ArrayList<>();
        /** True once the next layer reads this one's whole output sequence Y. */
        boolean returnSequences;

        Recurrent(String cell, int directions, int units, int inputWidth, boolean resetAfter) {
            this.cell = cell;
            this.directions = directions;
            this.units = units;
            this.inputWidth = inputWidth;
            this.resetAfter = resetAfter;
        }

        int outputWidth() { return directions * units; }
    }

    /** The head: kernel {@code [in, units]}, bias {@code [units]} (null while a MatMul waits for its Add). */
    static final class Dense {
        final float[] kernel;
        float[] bias;
        final int in, units;
        /** The final states it reads, in order. */
        final List<Value.StateRef> reads;
        String activation = "linear";

        Dense(float[] kernel, int in, int units, List<Value.StateRef> reads) {
            this.kernel = kernel;
            this.in = in;
            this.units = units;
            this.reads = List.copyOf(reads);
        }
    }

    /** Index of the layer the next recurrent layer must read: the last one, or -1 for the embedding. */
    int top() { return recurrent.size() - 1; }

    void requireEmbedding(String what) {
        if (embedding == null) throw new ImportException(what + " comes before the Embedding (Gather of the input ids); the importer reads Embedding → LSTM/GRU ... → Dense graphs");
    }
}
