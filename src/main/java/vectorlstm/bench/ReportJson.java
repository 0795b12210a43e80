package vectorlstm.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.text.Json;

/**
 * A {@link BenchReport} as JSON:
 * <pre>{@code
 * {"machine": {"cores": 2, "vectorBits": 256, "jdk": "25.0.1+8-LTS", "cpu": "AMD EPYC", "kernels": "..."},
 *  "benchmarks": [{"name": "score_latency_t500_b1", "unit": "ms", "higherIsBetter": false, "threads": 1,
 *                  "median": 1.21, "min": 1.18, "max": 1.40, "firstCallMs": 310.5, "samples": [1.2, ...]},
 *                 {"name": "score_latency_t500_b1_2threads", "threads": 2, ..., "coreRoundTripNs": 452.3, "samples": [...]},
 *                 {"name": "...", ..., "skipped": "why"}]}
 * }</pre>
 * median, min and max are written for people and other tools; reading recomputes them from the
 * samples. coreRoundTripNs is there for benchmarks on two threads or more ({@link CoreRoundTrip};
 * absent in files of older versions). higherIsBetter may be left out where the unit says it (a
 * time: ms, s, us, ns; a rate: anything per second), and threads where it is not known (0). Reading
 * is otherwise strict: a missing or mistyped field, or a machine string with control characters
 * (compare prints them), is an {@link IllegalArgumentException} that names it.
 */
final class ReportJson {
    private ReportJson() {}

    static String write(BenchReport report) {
        Map<String, Object> machine = new LinkedHashMap<>();
        Machine m = report.machine();
        machine.put("cores", m.cores());
        machine.put("vectorBits", m.vectorBits());
        machine.put("jdk", m.jdk());
        machine.put("cpu", m.cpu());
        if (m.kernels() != null) machine.put("kernels", m.kernels());
        List<Object> benchmarks = new ArrayList<>();
        for (BenchResult b : report.benchmarks()) benchmarks.add(benchmark(b));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("benchmarks", benchmarks);
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> benchmark(BenchResult b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", b.name());
        out.put("unit", b.unit());
        out.put("higherIsBetter", b.higherIsBetter());
        out.put("threads", b.threads());
        if (b.wasSkipped()) {
            out.put("skipped", b.skipped());
            return out;
        }
        out.put("median", b.median());
        out.put("min", b.min());
        out.put("max", b.max());
        if (Double.isFinite(b.firstCallMs())) out.put("firstCallMs", b.firstCallMs());
        if (Double.isFinite(b.coreRoundTripNs())) out.put("coreRoundTripNs", b.coreRoundTripNs());
        List<Object> samples = new ArrayList<>();
        for (double s : b.samples()) samples.add(s);
        out.put("samples", samples);
        return out;
    }

    /** @throws IllegalArgumentException when {@code text} is not JSON or not a bench report */
    static BenchReport read(String text) {
        if (!(Json.parse(text) instanceof Map<?, ?> root)) throw new IllegalArgumentException("not a JSON object");
        Map<?, ?> m = field(root, "machine", Map.class, "");
        Machine machine = new Machine(integer(m, "cores", "machine"), integer(m, "vectorBits", "machine"),
                printable(m, "jdk"), printable(m, "cpu"), m.containsKey("kernels") ? printable(m, "kernels") : null);
        List<?> list = field(root, "benchmarks", List.class, "");
        List<BenchResult> benchmarks = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> b)) throw new IllegalArgumentException("benchmarks[" + i + "] is not an object");
            benchmarks.add(benchmark(b, "benchmarks[" + i + "]"));
        }
        return new BenchReport(machine, benchmarks);
    }

    private static BenchResult benchmark(Map<?, ?> b, String where) {
        String name = field(b, "name", String.class, where);
        where = "benchmark " + name;
        String unit = field(b, "unit", String.class, where);
        boolean higherIsBetter = b.containsKey("higherIsBetter") ? field(b, "higherIsBetter", Boolean.class, where) : directionOf(unit, where);
        int threads = b.containsKey("threads") ? integer(b, "threads", where) : 0;
        if (b.containsKey("skipped")) return BenchResult.skipped(name, unit, higherIsBetter, threads, field(b, "skipped", String.class, where));
        List<?> list = field(b, "samples", List.class, where);
        double[] samples = new double[list.size()];
        for (int i = 0; i < samples.length; i++) {
            if (!(list.get(i) instanceof Number n)) throw new IllegalArgumentException(where + ": samples[" + i + "] is not a number");
            samples[i] = n.doubleValue();
        }
        double firstCall = b.containsKey("firstCallMs") ? field(b, "firstCallMs", Number.class, where).doubleValue() : Double.NaN;
        double roundTrip = b.containsKey("coreRoundTripNs") ? field(b, "coreRoundTripNs", Number.class, where).doubleValue() : Double.NaN;
        if (b.containsKey("coreRoundTripNs") && !(roundTrip > 0 && Double.isFinite(roundTrip))) {
            throw new IllegalArgumentException(where + ": \"coreRoundTripNs\" must be a positive number");
        }
        return BenchResult.measured(name, unit, higherIsBetter, threads, firstCall, samples).withCoreRoundTrip(roundTrip);
    }

    /** Times: lower is better. */
    private static final List<String> TIME_UNITS = List.of("ns", "us", "µs", "ms", "s");

    /** Whether higher is better, from a unit that says so: a time (lower), a rate per second (higher). */
    private static boolean directionOf(String unit, String where) {
        if (TIME_UNITS.contains(unit)) return false;
        if (unit.endsWith("/s")) return true;
        throw new IllegalArgumentException(where + ": missing \"higherIsBetter\", which the unit '" + unit + "' does not say (a time such as ms is lower-is-better, a rate such as reviews/s higher)");
    }

    /** Longer than any CPU model name, JDK version or kernel description. */
    private static final int MAX_MACHINE_CHARS = 200;

    /** A machine string: compare prints it on the BASE/NEW lines and in its notes, so no escape codes or line breaks. */
    private static String printable(Map<?, ?> machine, String key) {
        String v = field(machine, key, String.class, "machine");
        if (v.length() > MAX_MACHINE_CHARS || v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("machine: \"" + key + "\" must be at most " + MAX_MACHINE_CHARS + " printable characters, got \""
                    + v.codePoints().limit(60).map(c -> Character.isISOControl(c) ? '?' : c)
                            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + (v.length() > 60 ? "..." : "") + "\"");
        }
        return v;
    }

    private static int integer(Map<?, ?> map, String key, String where) {
        if (!(field(map, key, Number.class, where) instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(prefix(where) + "\"" + key + "\" must be a non-negative integer");
        }
        return n.intValue();
    }

    private static <T> T field(Map<?, ?> map, String key, Class<T> type, String where) {
        Object v = map.get(key);
        if (v == null) throw new IllegalArgumentException(prefix(where) + (map.containsKey(key) ? "\"" + key + "\" is null" : "missing \"" + key + "\""));
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(prefix(where) + "\"" + key + "\" must be " + typeName(type) + ", not " + kindOf(v));
        }
        return type.cast(v);
    }

    private static String prefix(String where) { return where.isEmpty() ? "" : where + ": "; }

    private static String typeName(Class<?> type) {
        if (type == Map.class) return "an object";
        if (type == List.class) return "an array";
        if (type == Boolean.class) return "true or false";
        return type == String.class ? "a string" : "a number";
    }

    private static String kindOf(Object v) {
        return switch (v) {
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            default -> "a number";
        };
    }
}
