package vectorlstm.importer;

import java.util.List;
import vectorlstm.io.SavedModel;

/**
 * A model brought in from another framework's file: the engine's model, ready to score or save,
 * and what the import decided that the user should know (a front end it dropped, a reading of
 * an activation that depends on the framework's version).
 */
public record Imported(SavedModel saved, List<String> notes) implements AutoCloseable {
    public Imported {
        if (saved == null) throw new IllegalArgumentException("an import needs a model");
        notes = List.copyOf(notes);
    }

    @Override
    public void close() { saved.close(); }
}
