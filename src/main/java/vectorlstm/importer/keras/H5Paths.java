package vectorlstm.importer.keras;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.links.SoftLink;

/**
 * A node found by its path below a group, or null when the path leads nowhere. jhdf's own
 * {@code getByPath} builds its "no such path" exception from the file's name, which a file read
 * from memory (as the importer reads both kinds) does not have: it threw "No backing file.
 * In-memory" instead, and a weight missing from a well-formed file was called a corrupt file.
 */
final class H5Paths {
    private H5Paths() {}

    static Node find(Group group, String path) {
        Node node = group;
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            if (!(node instanceof Group g)) return null;
            node = g.getChild(part);
            if (node == null) return null;
            // A soft link is followed as getByPath followed it (one that loops ends in the StackOverflowError
            // the importer names; one that leads nowhere throws, read as a corrupt file). An external link,
            // into another file, is not: it is no weight of this file.
            if (node instanceof SoftLink link) node = link.getTarget();
        }
        return node;
    }
}
