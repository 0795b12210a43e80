package vectorlstm.servecmp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import vectorlstm.classifier.Classification;

/**
 * The request and response bodies of both servers, through one Jackson streaming factory, so that
 * the two servers differ only in their HTTP layer.
 *
 * <pre>
 * request:  {"text": "A gripping film"}
 * response: {"label":"pos","probability":0.93,"probabilities":[0.07,0.93],"knownWords":3}
 * </pre>
 */
final class ClassifyJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private ClassifyJson() {}

    /** The "text" of a request body; other keys are skipped. */
    static String text(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("the body is not a JSON object");
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("text") && value == JsonToken.VALUE_STRING) {
                    text = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new IllegalArgumentException("text after the JSON object");
            if (text == null) throw new IllegalArgumentException("no \"text\" string in the body");
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {  // a byte array has no I/O to fail
            throw new UncheckedIOException(e);
        }
    }

    /** The answer for one text. */
    static byte[] response(Classification c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("label", c.label());
            g.writeNumberField("probability", c.probability());
            g.writeArrayFieldStart("probabilities");
            for (float p : c.probabilities()) g.writeNumber(p);
            g.writeEndArray();
            g.writeNumberField("knownWords", c.knownWords());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {"error": message} */
    static byte[] error(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
