package vectorlstm.importer.keras;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.importer.ImportException;

/**
 * The weights of a legacy {@code .h5} file ({@code model.save("m.h5")}, Keras 2 and 3): group
 * {@code model_weights/<layer name>} whose {@code weight_names} attribute lists its datasets in
 * {@code get_weights()} order. The names themselves changed across versions ({@code gru_1/kernel:0},
 * {@code lstm/lstm_cell/kernel:0}, {@code sequential_1/lstm/lstm_cell/kernel}), so they are
 * followed, never pattern-matched.
 */
final class LegacyH5Weights implements KerasWeights {
    private final Group root;

    LegacyH5Weights(Group modelWeights) { this.root = modelWeights; }

    @Override
    public List<KerasWeight> of(KerasLayerConfig layer, int index) {
        Node node = root.getChild(layer.name());
        if (!(node instanceof Group group)) return List.of();
        Attribute names = group.getAttribute("weight_names");
        if (names == null) return List.of();  // e.g. TextVectorization's empty group
        // Keras 2 writes a layer without weights (Dropout, Masking, a pooling, a functional
        // model's InputLayer) as weight_names = np.asarray([]): an empty float64 array, not strings.
        if (names.isEmpty() || names.getSize() == 0) return List.of();
        List<KerasWeight> out = new ArrayList<>();
        for (String name : H5Strings.of(names.getData(), "model_weights/" + layer.name() + " weight_names")) {
            Node d;
            try {
                d = H5Paths.find(group, name);
            } catch (RuntimeException e) {  // there, but its header cannot be read
                throw new ImportException("weights of layer " + layer.label() + ": weight_names lists " + name
                        + ", which the HDF5 reader cannot open (" + ImportException.readerSaid(e) + "): a corrupt file", e);
            }
            if (!(d instanceof Dataset dataset)) {
                throw new ImportException("weights of layer " + layer.label() + ": weight_names lists " + name + ", which is not a dataset in the file");
            }
            out.add(new KerasWeight("model_weights/" + layer.name() + "/" + name, dataset));
        }
        return out;
    }
}
