package vectorlstm.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import vectorlstm.classifier.Classification;
import vectorlstm.data.TextDataset;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.text.Json;
import vectorlstm.text.StrictUtf8;

/**
 * The JSON of {@code ./lstm serve}'s {@code POST /v1/classify} (issue 8): parse a request body
 * as it arrives (UTF-8 bytes) into its text(s), and write the response, with our {@code text.Json}
 * vs Jackson 2.23 (streaming {@code jackson-core}, and {@code databind} onto records).
 *
 * <p>{@code size = single}: {"text": one IMDB test review} (the review closest to 1,300 bytes of
 * UTF-8, IMDB's mean length); {@code batch64}: {"texts": [64 reviews]} (a balanced seeded sample).
 * Responses: {"label","probability","probabilities","knownWords"}, one, or 64 under "results".
 * Reviews come from the real archive: {@code -Dvectorlstm.imdb=PATH} (through
 * {@code -jvmArgsPrepend}), else {@code $VLSTM_DATA}, else {@code ../shared/data/imdb}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class JsonRequestBenchmark {
    @Param({"own", "jackson", "databind"})
    public String impl;

    @Param({"single", "batch64"})
    public String size;

    /** What databind reads and writes; the streaming paths produce the same bytes by hand. */
    public record Request(String text, List<String> texts) {}
    public record Result(String label, float probability, List<Float> probabilities, int knownWords) {}
    public record Results(List<Result> results) {}

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private byte[] body;
    private List<Classification> answers;

    @Setup
    public void setUp() throws IOException {
        String dir = System.getProperty("vectorlstm.imdb", System.getenv().getOrDefault("VLSTM_DATA", "../shared/data/imdb"));
        TextDataset test = ImdbDataset.load(Path.of(dir)).test();
        List<String> texts = size.equals("single") ? List.of(closestTo(test, 1300)) : test.balancedSample(64, 7).texts();
        Map<String, Object> request = new LinkedHashMap<>();
        if (texts.size() == 1) request.put("text", texts.getFirst()); else request.put("texts", texts);
        body = MAPPER.writeValueAsBytes(request);  // UTF-8, unescaped non-ASCII: what a client sends
        answers = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float p = (i * 37 % 100) / 100f + 0.00123f;
            answers.add(new Classification(p >= 0.5f ? "pos" : "neg", p >= 0.5f ? 1 : 0, List.of(1 - p, p), 100 + i));
        }
        Object check = parseRequest();
        if (!(check.equals(texts.getFirst()) || check.equals(texts))) throw new IllegalStateException(impl + " parsed something else");
        System.out.printf("%n%s %s: request %,d bytes, response %,d bytes%n", impl, size, body.length, writeResponse().length);
    }

    private static String closestTo(TextDataset data, int bytes) {
        String best = data.text(0);
        for (String t : data.texts()) {
            if (Math.abs(t.getBytes(StandardCharsets.UTF_8).length - bytes) < Math.abs(best.getBytes(StandardCharsets.UTF_8).length - bytes)) best = t;
        }
        return best;
    }

    /** Body bytes to the text (a String) or texts (a List of String). */
    @Benchmark
    public Object parseRequest() throws IOException {
        return switch (impl) {
            case "own" -> ownParse(body);
            case "jackson" -> streamingParse(body);
            case "databind" -> {
                Request r = MAPPER.readValue(body, Request.class);
                yield r.text() != null ? r.text() : r.texts();
            }
            default -> throw new IllegalArgumentException(impl);
        };
    }

    /** The response body, UTF-8 bytes. */
    @Benchmark
    public byte[] writeResponse() throws IOException {
        return switch (impl) {
            case "own" -> ownWrite(answers);
            case "jackson" -> streamingWrite(answers);
            case "databind" -> MAPPER.writeValueAsBytes(answers.size() == 1 ? result(answers.getFirst()) : new Results(answers.stream().map(JsonRequestBenchmark::result).toList()));
            default -> throw new IllegalArgumentException(impl);
        };
    }

    /** Strict UTF-8 (a server must refuse bad bytes, as Jackson does), then text.Json's tree. */
    private static Object ownParse(byte[] body) throws CharacterCodingException {
        String json = StrictUtf8.decoder().decode(ByteBuffer.wrap(body)).toString();
        Map<?, ?> request = (Map<?, ?>) Json.parse(json);
        Object text = request.get("text");
        return text != null ? text : request.get("texts");
    }

    private static Object streamingParse(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not an object");
            Object out = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("text") && value == JsonToken.VALUE_STRING) {
                    out = p.getText();
                } else if (name.equals("texts") && value == JsonToken.START_ARRAY) {
                    List<String> texts = new ArrayList<>();
                    while (p.nextToken() == JsonToken.VALUE_STRING) texts.add(p.getText());
                    out = texts;
                } else {
                    p.skipChildren();
                }
            }
            return out;
        }
    }

    private static byte[] ownWrite(List<Classification> answers) {
        Object value = answers.size() == 1 ? map(answers.getFirst()) : Map.of("results", answers.stream().map(JsonRequestBenchmark::map).toList());
        return Json.write(value).getBytes(StandardCharsets.US_ASCII);  // Json.write escapes to pure ASCII
    }

    private static Map<String, Object> map(Classification c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", c.label());
        m.put("probability", c.probability());
        m.put("probabilities", c.probabilities());
        m.put("knownWords", c.knownWords());
        return m;
    }

    private static Result result(Classification c) {
        return new Result(c.label(), c.probability(), c.probabilities(), c.knownWords());
    }

    private static byte[] streamingWrite(List<Classification> answers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 * answers.size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (answers.size() > 1) {
                g.writeStartObject();
                g.writeArrayFieldStart("results");
            }
            for (Classification c : answers) {
                g.writeStartObject();
                g.writeStringField("label", c.label());
                g.writeNumberField("probability", c.probability());
                g.writeArrayFieldStart("probabilities");
                for (float p : c.probabilities()) g.writeNumber(p);
                g.writeEndArray();
                g.writeNumberField("knownWords", c.knownWords());
                g.writeEndObject();
            }
            if (answers.size() > 1) {
                g.writeEndArray();
                g.writeEndObject();
            }
        }
        return out.toByteArray();
    }
}
