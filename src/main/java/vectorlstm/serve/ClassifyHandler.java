package vectorlstm.serve;

import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import vectorlstm.classifier.Classification;

/**
 * {@code POST /v1/classify}: the body read within the {@link BodyBudget} and parsed, its texts
 * tokenized on the request's own thread, scored on the {@link ScoringQueue}'s threads, and
 * answered with a label and probabilities for each (one object for "text", a list for "texts").
 */
final class ClassifyHandler {
    private final ServerSettings settings;
    private final ModelSlot slot;
    private final ScoringQueue queue;
    private final BodyBudget bodies;
    private final ResponseWriter responses;
    private final BooleanSupplier stopping;
    private final Consumer<String> log;

    ClassifyHandler(ServerSettings settings, ModelSlot slot, ScoringQueue queue, BodyBudget bodies,
                    ResponseWriter responses, BooleanSupplier stopping, Consumer<String> log) {
        this.settings = settings;
        this.slot = slot;
        this.queue = queue;
        this.bodies = bodies;
        this.responses = responses;
        this.stopping = stopping;
        this.log = log;
    }

    /** Answers a POST to the path (its method already checked); returns the status sent. */
    int handle(HttpExchange ex) {
        // Without a length its body cannot be read (the connection is closed: RequestBody.unframed).
        if (RequestBody.unframed(ex)) throw new ApiError(411, "Content-Length required: send the body with a Content-Length (or Transfer-Encoding: chunked)");
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            throw new ApiError(415, "the body must be JSON: send Content-Type: application/json");
        }
        String charset = charset(type);
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8") && !charset.equalsIgnoreCase("us-ascii")) {
            // The body is read as UTF-8 (RFC 8259): bytes in another declared charset would be scored as other words, or refused as not UTF-8 without saying why.
            throw new ApiError(415, "the body is declared as charset=" + charset + "; JSON bodies are read as UTF-8 only: send them in UTF-8 (charset=utf-8, or no charset)");
        }
        BodyBudget.BodyMemory memory = bodies.hold();
        try {
            return classify(ex, ClassifyRequest.parse(bodies.read(ex, memory), settings));
        } finally {
            bodies.release(memory);
        }
    }

    /**
     * The {@code charset} parameter of a Content-Type, unquoted, or null when it has none; two
     * that differ are refused (the first was taken: "charset=utf-8; charset=latin1" passed as UTF-8).
     */
    static String charset(String contentType) {
        String[] parts = contentType.split(";");
        String found = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).strip().equalsIgnoreCase("charset")) continue;
            String v = p.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            if (found != null && !found.equalsIgnoreCase(v)) throw new ApiError(415, "the Content-Type names two charsets, " + found + " and " + v + "; send UTF-8 JSON");
            found = v;
        }
        return found;
    }

    private int classify(HttpExchange ex, ClassifyRequest request) {
        LoadedModel model = slot.acquire();
        try {
            int[][] sequences = new int[request.texts().size()][];
            ScoringQueue.Job job;
            queue.arriving();  // a batch waits for this request while it is tokenized, not while its body trickles in
            try {
                for (int i = 0; i < sequences.length; i++) sequences[i] = sequence(model, request, i);
                job = new ScoringQueue.Job(model, sequences, new CompletableFuture<>());  // inside: an OutOfMemoryError here must end the arrival too
            } catch (RuntimeException | Error e) {
                queue.arrivalFailed();
                throw e;
            }
            if (!queue.offer(job)) {  // ends the arrival, queued or not
                ex.getResponseHeaders().set("Retry-After", "1");
                // The limit, not the count: read after the refusal, the queue may have drained ("busy: 0 texts are waiting").
                throw new ApiError(503, stopping.getAsBoolean() ? "the server is shutting down"
                        : "busy: the queue holds at most " + queue.capacity() + " waiting texts, and this request's " + sequences.length + " did not fit; retry later");
            }
            List<Classification> scored = await(ex, job);
            List<Object> answers = new ArrayList<>(scored.size());
            for (int i = 0; i < scored.size(); i++) answers.add(answer(scored.get(i), model, request, i));
            Object body = answers.get(0);
            if (!request.single()) {
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("results", answers);
                all.put("model", model.shortId());
                body = all;
            }
            return responses.sendJson(ex, 200, body);
        } finally {
            model.release();
        }
    }

    /** A text's ids; one the model refuses (more words than a model of any length reads) is the client's 413. */
    private static int[] sequence(LoadedModel model, ClassifyRequest request, int i) {
        try {
            return model.classifier.sequence(request.texts().get(i));
        } catch (IllegalArgumentException e) {
            throw new ApiError(413, where(request, i) + ": " + e.getMessage());
        }
    }

    /** How a message names text {@code i} of the request. */
    private static String where(ClassifyRequest request, int i) {
        return request.single() ? "\"text\"" : "\"texts\"[" + i + "]";
    }

    private List<Classification> await(HttpExchange ex, ScoringQueue.Job job) {
        try {
            return job.result().get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            queue.withdraw(job);  // out of the queue now; a scorer that has taken it skips it
            ex.getResponseHeaders().set("Retry-After", "1");
            throw new ApiError(503, "not answered within " + settings.requestTimeout().toMillis() + " ms (the server is overloaded); retry later");
        } catch (InterruptedException e) {
            // The stop's grace ran out. The interrupt is not set again: the answer goes out on an
            // interruptible channel, which a pending interrupt closes unwritten. The handler ends after it.
            queue.withdraw(job);
            throw new ApiError(503, "the server is shutting down");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IllegalArgumentException bad
                    ? new ApiError(400, bad.getMessage())
                    : new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
        }
    }

    /** One text's result; a NaN from the model is the server's 500, never a label with "NaN" for its probabilities. */
    private Map<String, Object> answer(Classification c, LoadedModel model, ClassifyRequest request, int text) {
        if (c.notANumber() != null) {
            String why = "the model's output for " + where(request, text) + " is " + c.notANumber() + " (its weights overflow on this input): it has no answer";
            log.accept(why);
            throw new ApiError(500, why);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", c.label());
        out.put("probability", c.probability());
        Map<String, Object> probabilities = new LinkedHashMap<>();
        List<String> labels = model.classifier.labels();
        for (int i = 0; i < c.probabilities().size(); i++) probabilities.put(labels.get(i), c.probabilities().get(i));
        out.put("probabilities", probabilities);
        out.put("knownWords", c.knownWords());
        out.put("model", model.shortId());
        return out;
    }
}
