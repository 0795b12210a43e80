package vectorlstm.importer.onnx;

import java.util.ArrayList;
import java.util.List;
import vectorlstm.importer.ImportException;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.RecurrentLayer;
import vectorlstm.model.Sequential;

/** The recognised parts as a built {@link Sequential} with the file's weights, in Keras' set_weights order. */
final class ModelAssembler {
    private ModelAssembler() {}

    static Sequential assemble(ModelParts parts) {
        List<Layer> layers = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        layers.add(new Embedding(parts.vocab, parts.embeddingDim, parts.steps));
        weights.add(parts.embedding);
        for (ModelParts.Recurrent r : parts.recurrent) {
            RecurrentLayer cell = r.cell.equals("LSTM") ? new Lstm(r.units, r.returnSequences) : new Gru(r.units, r.returnSequences, false, r.resetAfter);
            layers.add(r.directions == 2 ? new Bidirectional(cell) : cell);
            weights.addAll(r.weights);  // forward direction's kernel, recurrent kernel, bias, then the backward one's
        }
        layers.add(new Dense(parts.dense.units, parts.dense.activation));
        weights.add(parts.dense.kernel);
        weights.add(parts.dense.bias);
        Sequential model = new Sequential(layers.toArray(Layer[]::new));
        try {
            model.build();
            model.setWeights(weights);
        } catch (IllegalArgumentException | IllegalStateException e) {
            model.close();
            throw new ImportException("the recognised model " + describe(parts) + " does not take the file's weights: " + e.getMessage(), e);
        }
        return model;
    }

    static String describe(ModelParts parts) {
        StringBuilder s = new StringBuilder("Embedding(" + parts.vocab + ", " + parts.embeddingDim + ", " + parts.steps + ")");
        for (ModelParts.Recurrent r : parts.recurrent) {
            String cell = r.cell + "(" + r.units + (r.returnSequences ? ", return_sequences" : "") + (r.cell.equals("GRU") ? ", reset_after=" + r.resetAfter : "") + ")";
            s.append(" → ").append(r.directions == 2 ? "Bidirectional(" + cell + ")" : cell);
        }
        return s.append(" → Dense(").append(parts.dense.units).append(", ").append(parts.dense.activation).append(")").toString();
    }
}
