package vectorlstm.importer.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.Version;
import vectorlstm.importer.FileKind;
import vectorlstm.importer.ImportException;
import vectorlstm.io.ModelFile;

/**
 * Reads a file as an ONNX ModelProto and says plainly what it is when it is not one: files of
 * other kinds are recognised by their first bytes, a truncated or corrupt protobuf is reported as
 * such, and a protobuf that parses but is no ONNX model (no ir_version, graph or opset) is refused
 * too, because random bytes sometimes parse as a protobuf full of unknown fields.
 */
final class OnnxFile {
    /** Protobuf's own limit for one message. */
    static final long MAX_BYTES = Integer.MAX_VALUE;
    /**
     * The opsets whose LSTM, GRU, Gemm, Squeeze, Slice and Softmax the importer reads as documented.
     * Not 7 and 8: torch 1.13 writes the zero state's shape arithmetic there as a float64 Constant
     * and a Cast, which no other opset's export has.
     */
    static final int MIN_OPSET = 9, MAX_OPSET = 23;

    private OnnxFile() {}

    /** The parsed model and the opset of the default ("ai.onnx") domain. */
    record Parsed(ModelProto model, long opset) {}

    static Parsed read(Path path) {
        FileKind.requireRegularFile(path);
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size == 0) throw new ImportException(path + " is empty, not an ONNX model");
            if (size > MAX_BYTES) throw new ImportException(path + " is " + size + " bytes, above protobuf's 2 GB limit for one model");
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ImportException("cannot read " + path + ": " + e.getMessage(), e);
        }
        // By the model file's own header (a length, then its JSON), not by a word anywhere in the
        // first bytes: an ONNX file whose producer or doc_string names vector-lstm is still ONNX.
        if (ModelFile.isModelFile(path)) throw new ImportException(path + " is a vector-lstm model file (load it directly), not an ONNX model");
        String other = otherKind(bytes);
        if (other != null) throw new ImportException(path + " is " + other + ", not an ONNX model (.onnx, a protobuf ModelProto)");
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            // Fields this onnx.proto does not know are dropped as they are read: kept, five million of
            // them (25 MB) took more than a gigabyte of heap, and nothing reads them.
            model = DiscardUnknownFieldsParser.wrap(ModelProto.parser()).parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            // Protobuf's own text for this one advises a call to setRecursionLimit(): advice for its programmers, not for a user.
            if (String.valueOf(e.getMessage()).contains("recursion")) {
                throw new ImportException(path + " nests its messages deeper than protobuf's limit of 100: not a model an exporter writes (damaged, or made to exhaust the reader)", e);
            }
            throw new ImportException(path + " is not a readable ONNX protobuf (truncated or corrupt): " + e.getMessage(), e);
        } catch (IOException e) {  // CodedInputStream over an array declares it, never throws it otherwise
            throw new ImportException(path + " is not a readable ONNX protobuf: " + e.getMessage(), e);
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph()) {
            throw new ImportException(path + " parses as a protobuf but is no ONNX model: "
                    + (model.getIrVersion() <= 0 ? "no ir_version" : "no graph") + " (a truncated file, or a file of another kind)");
        }
        if (model.getIrVersion() > Version.IR_VERSION_VALUE) {
            // A newer IR may change what fields mean; read by the rules of an older one it could import the wrong model.
            throw new ImportException(path + ": ir_version " + model.getIrVersion() + " is newer than the onnx.proto this build reads (IR version "
                    + Version.IR_VERSION_VALUE + ")");
        }
        return new Parsed(model, defaultOpset(path, model));
    }

    private static long defaultOpset(Path path, ModelProto model) {
        long opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (!o.getDomain().isEmpty() && !o.getDomain().equals("ai.onnx")) continue;
            if (opset >= 0) throw new ImportException(path + ": opset_import names the default ONNX domain twice (versions " + opset + " and " + o.getVersion() + ")");
            opset = o.getVersion();
        }
        if (opset < 0) throw new ImportException(path + ": opset_import names no version of the default ONNX domain (a truncated file?)");
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ImportException(path + ": opset " + opset + " is not supported (supported: " + MIN_OPSET + " to " + MAX_OPSET
                    + "); export the model again with torch.onnx.export(..., opset_version=14)");
        }
        return opset;
    }

    /** The kind of a file whose first bytes give it away, or null. */
    static String otherKind(byte[] b) {
        if (startsWith(b, 'P', 'K', 3, 4)) return "a zip archive (a PyTorch .pt file, or a Keras .keras file, which KerasImporter reads: ./lstm import --keras)";
        if (startsWith(b, 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n')) return "an HDF5 file (a Keras .h5 file? KerasImporter reads those: ./lstm import --keras)";
        if (startsWith(b, 0x89, 'P', 'N', 'G')) return "a PNG image";
        if (startsWith(b, 0x1f, 0x8b)) return "a gzip file";
        if (startsWith(b, 0x80) && b.length > 1 && b[1] >= 2 && b[1] <= 5) return "a Python pickle";
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("{") || head.startsWith("[")) return "a JSON text";
        return null;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((b[i] & 0xff) != prefix[i]) return false;
        return true;
    }
}
