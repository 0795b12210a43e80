package vectorlstm.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The server's JSON, in and out, on jackson-core's streaming API: 6x faster than the project's own
 * {@code text.Json} on a request body and a fifth of the garbage (docs/serving-http-layer.md), and
 * a maintained parser facing the network. Files (model headers, tokenizers, data) stay on
 * {@code text.Json}, so the engine and its formats take no dependency.
 */
final class JsonBodies {
    /**
     * Duplicate keys are an error; nesting and numbers bounded; the parser never builds a tree.
     * A string's length is bounded by the body limit and checked against --max-text-chars after
     * it is read, not by Jackson's own 20,000,000 characters (which turned a text the server was
     * configured to take into a 400 "not valid JSON").
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100).maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private JsonBodies() {}

    /** Maps, lists, strings, numbers, booleans and nulls as compact UTF-8 JSON. */
    static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Float f -> g.writeNumber(f);       // shortest text that reads back as the same float
            case Double d -> g.writeNumber(d);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) write(g, o);
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON");
        }
    }
}
