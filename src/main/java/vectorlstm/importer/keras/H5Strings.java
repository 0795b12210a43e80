package vectorlstm.importer.keras;

import java.util.List;
import vectorlstm.importer.ImportException;

/** HDF5 string attributes as jhdf returns them: one String, or an array of them (fixed- or variable-length alike). */
final class H5Strings {
    private H5Strings() {}

    static List<String> of(Object data, String what) {
        if (data instanceof String s) return List.of(s);
        if (data instanceof String[] a) return List.of(a);
        throw new ImportException(what + " is not a string attribute (" + (data == null ? "empty" : data.getClass().getSimpleName()) + ")");
    }

    static String one(Object data, String what) {
        List<String> all = of(data, what);
        if (all.size() != 1) throw new ImportException(what + " holds " + all.size() + " strings, expected one");
        return all.get(0);
    }
}
