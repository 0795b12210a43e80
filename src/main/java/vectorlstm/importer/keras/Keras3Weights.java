package vectorlstm.importer.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vectorlstm.importer.ImportException;

/**
 * The weights of a Keras 3 {@code .keras} archive's {@code model.weights.h5}: positional datasets
 * {@code layers/<group>/vars/0, 1, ...}, recurrent layers under {@code cell/vars}, a Bidirectional's
 * under {@code forward_layer/cell/vars} then {@code backward_layer/cell/vars}. The group is named
 * after the layer's class, not its configured name: {@code lstm}, {@code dense}, {@code dense_1}
 * for the second Dense, counted per class in layer order (Keras' saving_lib does the same).
 */
final class Keras3Weights implements KerasWeights {
    private final Group layersGroup;
    private final Map<Integer, String> groupNames = new HashMap<>();

    Keras3Weights(Group root, List<KerasLayerConfig> layers) {
        Node l = root.getChild("layers");
        if (!(l instanceof Group g)) throw new ImportException("model.weights.h5 has no 'layers' group: not a Keras 3 weights file");
        this.layersGroup = g;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            KerasLayerConfig layer = layers.get(i);
            if (layer.className().equals("InputLayer")) continue;
            String base = snakeCase(layer.className());
            int n = seen.merge(base, 1, Integer::sum) - 1;
            groupNames.put(i, n == 0 ? base : base + "_" + n);
        }
    }

    @Override
    public List<KerasWeight> of(KerasLayerConfig layer, int index) {
        String name = groupNames.get(index);
        if (name == null) return List.of();
        Node node = layersGroup.getChild(name);
        if (!(node instanceof Group group)) return List.of();
        List<String> varGroups = switch (layer.className()) {
            case "LSTM", "GRU" -> List.of("cell/vars");
            case "Bidirectional" -> List.of("forward_layer/cell/vars", "backward_layer/cell/vars");
            default -> List.of("vars");
        };
        List<KerasWeight> out = new ArrayList<>();
        for (String vars : varGroups) {
            Node v = H5Paths.find(group, vars);
            if (!(v instanceof Group varsGroup)) throw new ImportException("weights of layer " + layer.label() + ": layers/" + name + "/" + vars + " is missing");
            for (int i = 0; ; i++) {
                Node d = varsGroup.getChild(Integer.toString(i));
                if (d == null) break;
                if (!(d instanceof Dataset dataset)) throw new ImportException("weights of layer " + layer.label() + ": layers/" + name + "/" + vars + "/" + i + " is not a dataset");
                out.add(new KerasWeight("layers/" + name + "/" + vars + "/" + i, dataset));
            }
            if (out.isEmpty() && !varsGroup.getChildren().isEmpty()) {
                throw new ImportException("weights of layer " + layer.label() + ": layers/" + name + "/" + vars + " holds " + varsGroup.getChildren().keySet() + ", expected 0, 1, ...");
            }
        }
        return out;
    }

    /** Keras' {@code to_snake_case}: GlobalMaxPooling1D → global_max_pooling1d, LSTM → lstm, GRU → gru. */
    static String snakeCase(String className) {
        String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }
}
