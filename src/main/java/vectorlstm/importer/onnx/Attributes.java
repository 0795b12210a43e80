package vectorlstm.importer.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import vectorlstm.importer.ImportException;

/** A node's attributes by name, with errors that name the node and the attribute. */
final class Attributes {
    private final NodeProto node;

    /**
     * Refuses a node that names an attribute twice: which one counts is not defined, and ONNX
     * Runtime's checker refuses such a file ("appeared multiple times"), so reading the first would
     * import a model its writer may not have meant (a direction given as forward and as reverse).
     */
    Attributes(NodeProto node) {
        this.node = node;
        Set<String> seen = new HashSet<>();
        for (AttributeProto a : node.getAttributeList()) {
            if (!seen.add(a.getName())) throw new ImportException(node() + " has attribute '" + a.getName() + "' twice: the file is not valid ONNX");
        }
    }

    /** The node as error messages name it: op type and name (or first output). */
    static String describe(NodeProto node) {
        String name = node.getName().isEmpty() ? (node.getOutputCount() > 0 ? node.getOutput(0) : "?") : node.getName();
        return node.getOpType() + " node '" + name + "'";
    }

    String node() { return describe(node); }

    /** Refuses attributes the importer does not read, so none changes the math unseen. */
    void allowOnly(Set<String> known) {
        for (AttributeProto a : node.getAttributeList()) {
            if (!known.contains(a.getName())) {
                throw new ImportException(node() + " has attribute '" + a.getName() + "', which the importer does not support (it reads " + known + ")");
            }
        }
    }

    AttributeProto get(String name) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    long integer(String name, long fallback) {
        AttributeProto a = get(name);
        if (a == null) return fallback;
        if (a.getType() != AttributeProto.AttributeType.INT) throw new ImportException(node() + ": attribute '" + name + "' must be an INT, is " + a.getType());
        return a.getI();
    }

    float real(String name, float fallback) {
        AttributeProto a = get(name);
        if (a == null) return fallback;
        if (a.getType() != AttributeProto.AttributeType.FLOAT) throw new ImportException(node() + ": attribute '" + name + "' must be a FLOAT, is " + a.getType());
        return a.getF();
    }

    String string(String name, String fallback) {
        AttributeProto a = get(name);
        if (a == null) return fallback;
        if (a.getType() != AttributeProto.AttributeType.STRING) throw new ImportException(node() + ": attribute '" + name + "' must be a STRING, is " + a.getType());
        return a.getS().toStringUtf8();
    }

    long[] integers(String name) {
        AttributeProto a = get(name);
        if (a == null) return null;
        if (a.getType() != AttributeProto.AttributeType.INTS) throw new ImportException(node() + ": attribute '" + name + "' must be INTS, is " + a.getType());
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    List<String> strings(String name) {
        AttributeProto a = get(name);
        if (a == null) return null;
        if (a.getType() != AttributeProto.AttributeType.STRINGS) throw new ImportException(node() + ": attribute '" + name + "' must be STRINGS, is " + a.getType());
        List<String> out = new ArrayList<>();
        a.getStringsList().forEach(s -> out.add(s.toStringUtf8()));
        return out;
    }
}
