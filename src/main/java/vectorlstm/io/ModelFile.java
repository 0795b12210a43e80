package vectorlstm.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.memory.Tensor;
import vectorlstm.text.Json;
import vectorlstm.text.Tokenizer;

/**
 * One model in one file: architecture, weights, tokenizer, labels and the padded length.
 *
 * <pre>
 *   8 bytes   magic "VLSTM\0\1\n" (format version 1)
 *   4 bytes   header length n, little-endian
 *   n bytes   header, UTF-8 JSON: layers, loss, parameter names and shapes, tokenizer, labels, maxlen
 *   ...       every parameter's float32 values, little-endian, in header order
 *   8 bytes   CRC-32 of everything before, little-endian
 * </pre>
 * Saving writes a temporary file beside the target, forces it to disk and renames it over the
 * target, so an existing model is never half-overwritten. Loading checks size and CRC before it
 * trusts a single byte, so truncated or corrupt files are refused with a clear message.
 */
public final class ModelFile {
    private static final byte[] MAGIC = {'V', 'L', 'S', 'T', 'M', 0, 1, '\n'};
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ModelFile() {}

    /**
     * @param labels class names in class-id order (two for a Dense(1, sigmoid) head), or empty
     * @param maxlen the padded length, which must be the first layer's input length
     */
    public static void save(Path file, Sequential model, Tokenizer tokenizer, List<String> labels, int maxlen) {
        checkSavable(model, labels, maxlen);
        byte[] header = headerJson(model, tokenizer, labels, maxlen).getBytes(StandardCharsets.UTF_8);
        long floats = 0;
        for (Parameter p : parameters(model)) floats += p.size();
        long size = MAGIC.length + 4 + header.length + floats * Float.BYTES + 8;
        if (size > Integer.MAX_VALUE - 64) {
            throw new ModelFileException("the model is " + size / (1 << 20) + " MiB; model files above 2 GiB are not supported yet");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(size);
            MemorySegment.copy(MAGIC, 0, out, ValueLayout.JAVA_BYTE, 0, MAGIC.length);
            out.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), MAGIC.length, header.length);
            MemorySegment.copy(header, 0, out, ValueLayout.JAVA_BYTE, MAGIC.length + 4, header.length);
            long pos = MAGIC.length + 4 + header.length;
            for (Parameter p : parameters(model)) {
                Tensor t = p.value();
                MemorySegment.copy(t.segment(), ValueLayout.JAVA_FLOAT, 0, out, LE_FLOAT, pos, t.size());
                pos += t.size() * Float.BYTES;
            }
            out.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos, crc(out.asSlice(0, pos)));
            AtomicFile.write(file, out.asByteBuffer());
        } catch (IOException e) {
            throw new ModelFileException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkSavable(Sequential model, List<String> labels, int maxlen) {
        if (model.loss() == null) throw new ModelFileException("compile the model before saving it (the file records its loss)");
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        if (labels != null && !labels.isEmpty() && labels.size() != Math.max(2, units)) {
            throw new ModelFileException(labels.size() + " labels do not fit an output of " + units + " unit(s) (expected " + Math.max(2, units) + ")");
        }
        if (maxlen != model.inputShape().dim(0)) {
            throw new ModelFileException("maxlen " + maxlen + " differs from the model's input length " + model.inputShape().dim(0));
        }
    }

    public static SavedModel load(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 64) throw new ModelFileException(file + " is larger than 2 GiB: not a model this version can read");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelFileException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        MemorySegment in = MemorySegment.ofArray(bytes);
        MemorySegment magic = MemorySegment.ofArray(MAGIC);
        if (bytes.length < MAGIC.length + 4 + 8 || in.asSlice(0, 5).mismatch(magic.asSlice(0, 5)) != -1) {
            throw new ModelFileException(file + " is not a vector-lstm model file");
        }
        if (in.asSlice(0, MAGIC.length).mismatch(magic) != -1) {
            throw new ModelFileException(file + ": unsupported model file version (this build reads version 1)");
        }
        long body = bytes.length - 8;
        long storedCrc = in.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), body);
        if (storedCrc != crc(in.asSlice(0, body))) {
            throw new ModelFileException(file + " is corrupt or truncated (checksum mismatch)");
        }
        int headerLength = in.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), MAGIC.length);
        if (headerLength <= 0 || MAGIC.length + 4L + headerLength > body) throw new ModelFileException(file + ": bad header length");
        Map<String, Object> header = parseHeader(new String(bytes, MAGIC.length + 4, headerLength, StandardCharsets.UTF_8), file);

        List<Layer> layers = new ArrayList<>();
        for (Object o : list(header, "layers")) layers.add(LayerSpecs.create(map(o)));
        Sequential model = new Sequential(layers.toArray(Layer[]::new));
        try {
            model.compile(LayerSpecs.string(header, "loss"), new Adam(), "accuracy");
            List<Parameter> params = parameters(model);
            List<Object> shapes = list(header, "parameters");
            if (shapes.size() != params.size()) throw new ModelFileException(file + ": header lists " + shapes.size() + " weights, the architecture has " + params.size());
            long pos = MAGIC.length + 4L + headerLength;
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                long n = p.size();
                if (LayerSpecs.integer(map(shapes.get(i)), "size") != n) throw new ModelFileException(file + ": size of weight " + i + " does not match its layer");
                if (pos + n * Float.BYTES > body) throw new ModelFileException(file + " is truncated inside weight " + i);
                MemorySegment.copy(in, LE_FLOAT, pos, p.value().segment(), ValueLayout.JAVA_FLOAT, 0, n);
                pos += n * Float.BYTES;
                checkFinite(p, file);
            }
            if (pos != body) throw new ModelFileException(file + " has " + (body - pos) + " unexpected bytes after the weights");
            model.weightsChanged();
            Tokenizer tokenizer = header.get("tokenizer") instanceof String s ? Tokenizer.fromJson(s) : null;
            List<String> labels = new ArrayList<>();
            if (header.get("labels") instanceof List<?> l) for (Object o : l) labels.add(String.valueOf(o));
            return new SavedModel(model, tokenizer, List.copyOf(labels), LayerSpecs.integer(header, "maxlen"));
        } catch (RuntimeException e) {
            model.close();
            throw e instanceof ModelFileException ? e : new ModelFileException(file + ": " + e.getMessage(), e);
        }
    }

    private static void checkFinite(Parameter p, Path file) {
        Tensor t = p.value();
        for (long i = 0; i < t.size(); i++) {
            if (!Float.isFinite(t.get(i))) throw new ModelFileException(file + ": weight " + p.name() + " holds a NaN or infinite value");
        }
    }

    private static String headerJson(Sequential model, Tokenizer tokenizer, List<String> labels, int maxlen) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "vector-lstm model");
        List<Object> layers = new ArrayList<>();
        for (Layer l : model.layers()) layers.add(LayerSpecs.describe(l));
        h.put("layers", layers);
        h.put("loss", model.loss().name());
        List<Object> params = new ArrayList<>();
        for (Layer l : model.layers()) {
            for (Parameter p : l.parameters()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", l.name() + "/" + p.name());
                m.put("shape", java.util.Arrays.stream(p.shape()).boxed().toList());
                m.put("size", p.size());
                params.add(m);
            }
        }
        h.put("parameters", params);
        h.put("maxlen", maxlen);
        h.put("tokenizer", tokenizer == null ? null : tokenizer.toJson());
        h.put("labels", labels == null ? null : new ArrayList<Object>(labels));
        return JsonWriter.write(h);
    }

    private static List<Parameter> parameters(Sequential model) {
        List<Parameter> out = new ArrayList<>();
        for (Layer l : model.layers()) out.addAll(l.parameters());
        return out;
    }

    private static long crc(MemorySegment bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes.asByteBuffer());
        return crc.getValue();
    }

    private static Map<String, Object> parseHeader(String json, Path file) {
        try {
            return map(Json.parse(json));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": unreadable header (" + e.getMessage() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map<?, ?> m)) throw new ModelFileException("model header: expected an object");
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List<?> l)) throw new ModelFileException("model header: '" + key + "' missing or not a list");
        return (List<Object>) l;
    }
}
