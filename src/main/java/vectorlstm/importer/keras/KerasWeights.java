package vectorlstm.importer.keras;

import java.util.List;

/** Where a file keeps each layer's weights, in Keras' {@code get_weights()} order. */
interface KerasWeights {
    /** The layer's stored weights (empty for a layer that has none); {@code index} is its position among the model's layers. */
    List<KerasWeight> of(KerasLayerConfig layer, int index);
}
