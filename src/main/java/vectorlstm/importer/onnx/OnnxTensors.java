package vectorlstm.importer.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import onnx.Onnx.TensorProto;
import vectorlstm.importer.ImportException;

/**
 * Reads a TensorProto's values: float32 (raw_data or float_data), int64 (raw_data or int64_data)
 * and int32 (raw_data or int32_data); raw_data is little-endian, as the ONNX spec fixes it.
 * Everything else (float16, doubles, strings, external data files) is refused by name. The
 * declared dims are checked against the bytes actually present before an array is made, so a
 * forged dim cannot make the importer allocate more than the file holds.
 */
final class OnnxTensors {
    /** No ONNX dim the engine could use is larger; bigger ones are forged or corrupt. */
    static final long MAX_DIM = 1L << 31;
    /** A Java array's limit; the file would have to hold these bytes anyway. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private OnnxTensors() {}

    static NumericTensor read(TensorProto t, String role) {
        String name = t.getName().isEmpty() ? role : role + " '" + t.getName() + "'";  // a Constant's value is mostly unnamed
        // onnx.proto: external_data is read only when data_location is EXTERNAL (ONNX Runtime ignores it otherwise, and so do we).
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new ImportException(name + " keeps its data in an external file; only weights inside the .onnx file are supported");
        }
        if (t.hasSegment()) throw new ImportException(name + " is a segment of a larger tensor; not supported");
        long[] dims = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > MAX_DIM) throw new ImportException(name + " declares dim " + i + " = " + d + ": out of range 0.." + MAX_DIM);
            dims[i] = d;
            count *= d;  // both factors are at most 2^31: no overflow
            if (count > MAX_ELEMENTS) throw new ImportException(name + " declares " + Arrays.toString(t.getDimsList().toArray()) + ": more than " + MAX_ELEMENTS + " elements");
        }
        int type = t.getDataType();
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            return new NumericTensor(t.getName(), dims, floats(t, name, count), null, false);
        }
        if (type == TensorProto.DataType.INT64_VALUE || type == TensorProto.DataType.INT32_VALUE) {
            boolean int64 = type == TensorProto.DataType.INT64_VALUE;
            return new NumericTensor(t.getName(), dims, null, ints(t, name, count, int64), int64);
        }
        throw new ImportException(name + " has data type " + typeName(type) + "; supported are FLOAT (float32) weights and INT64/INT32 indices and shapes");
    }

    private static float[] floats(TensorProto t, String name, long count) {
        // onnx.proto: a tensor's values are in exactly one of raw_data and the typed field; both is a malformed file, not a choice to make.
        if (t.hasRawData() && t.getFloatDataCount() > 0) throw new ImportException(name + " holds its values twice (raw_data and float_data); onnx.proto allows one of them");
        if (t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            requireCount(name, count, raw.remaining(), 4, "raw_data bytes");
            float[] out = new float[(int) count];
            raw.asFloatBuffer().get(out);
            return out;
        }
        requireCount(name, count, t.getFloatDataCount(), 1, "float_data values");
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) out[i] = t.getFloatData(i);
        return out;
    }

    private static long[] ints(TensorProto t, String name, long count, boolean int64) {
        int width = int64 ? 8 : 4;
        long[] out;
        if (t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            requireCount(name, count, raw.remaining(), width, "raw_data bytes");
            out = new long[(int) count];
            for (int i = 0; i < out.length; i++) out[i] = int64 ? raw.getLong() : raw.getInt();
            return out;
        }
        int n = int64 ? t.getInt64DataCount() : t.getInt32DataCount();
        requireCount(name, count, n, 1, int64 ? "int64_data values" : "int32_data values");
        out = new long[(int) count];
        for (int i = 0; i < out.length; i++) out[i] = int64 ? t.getInt64Data(i) : t.getInt32Data(i);
        return out;
    }

    private static void requireCount(String name, long count, long present, int width, String what) {
        if (present != count * width) {
            throw new ImportException(name + " declares " + count + " elements but holds " + present + " " + what
                    + (width > 1 ? " (" + width + " per element)" : ""));
        }
    }

    static String typeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "code " + type : t.name();
    }
}
