package vectorlstm.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import vectorlstm.importer.ImportException;

/** The committed ONNX fixtures with one change made through onnx.proto's classes, and what the importer says of the result. */
final class OnnxEdits {
    private OnnxEdits() {}

    static String refusal(Path file) {
        return assertThrows(ImportException.class, () -> OnnxImporter.importOnnx(file).close()).getMessage();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** The fixture with one change made to its model, written into {@code dir}. */
    static Path changedModel(Path dir, String fixture, Consumer<ModelProto.Builder> change) throws IOException {
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(OnnxParityTest.DIR.resolve(fixture))).toBuilder();
        change.accept(m);
        return write(dir, "changed-" + fixture, m.build().toByteArray());
    }

    /** The importer's refusal of the fixture with one change made to its graph. */
    static String refusalOf(Path dir, String fixture, Consumer<GraphProto.Builder> change) throws IOException {
        return refusal(changedModel(dir, fixture, m -> change.accept(m.getGraphBuilder())));
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + message + "' should mention '" + p + "'");
    }

    static NodeProto.Builder node(GraphProto.Builder g, String opType) {
        for (NodeProto.Builder n : g.getNodeBuilderList()) if (n.getOpType().equals(opType)) return n;
        throw new AssertionError("no " + opType + " node");
    }

    static TensorProto.Builder initializer(GraphProto.Builder g, long... dims) {
        for (TensorProto.Builder t : g.getInitializerBuilderList()) {
            if (Arrays.equals(t.getDimsList().stream().mapToLong(Long::longValue).toArray(), dims)) return t;
        }
        throw new AssertionError("no initializer with dims " + Arrays.toString(dims));
    }

    static void setAttribute(NodeProto.Builder n, AttributeProto a) {
        for (int i = 0; i < n.getAttributeCount(); i++) {
            if (n.getAttribute(i).getName().equals(a.getName())) { n.setAttribute(i, a); return; }
        }
        n.addAttribute(a);
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }
}
