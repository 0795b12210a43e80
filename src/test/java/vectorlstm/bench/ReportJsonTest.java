package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.bench.Reports.STEADY;
import static vectorlstm.bench.Reports.latency;
import static vectorlstm.bench.Reports.report;
import static vectorlstm.bench.Reports.skipped;
import static vectorlstm.bench.Reports.throughput;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vectorlstm.text.Json;

/** The results file format: a lossless round trip, and strict reading. */
class ReportJsonTest {
    private static final String GOOD_MACHINE = "\"machine\":{\"cores\":2,\"vectorBits\":256,\"jdk\":\"25\",\"cpu\":\"x\"}";

    private static String readError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ReportJson.read(json)).getMessage();
    }

    @Test
    void roundTripKeepsEverything() {
        BenchReport original = report(latency("score_latency_t500_b1", 1.25, 1.5, 1.0 / 3), skipped("two", "not built yet"),
                throughput("score_throughput_b256", 812.5, 790.25, 801).withCoreRoundTrip(452.25));
        BenchReport back = ReportJson.read(ReportJson.write(original));
        assertEquals(original.machine(), back.machine());
        assertEquals(original.benchmarks().size(), back.benchmarks().size());
        for (int i = 0; i < original.benchmarks().size(); i++) {
            BenchResult a = original.benchmarks().get(i), b = back.benchmarks().get(i);
            assertEquals(a.name(), b.name());
            assertEquals(a.unit(), b.unit());
            assertEquals(a.higherIsBetter(), b.higherIsBetter());
            assertEquals(a.threads(), b.threads());
            assertEquals(a.firstCallMs(), b.firstCallMs());
            assertArrayEquals(a.samples(), b.samples());  // exact: doubles print and parse losslessly
            assertEquals(a.skipped(), b.skipped());
            assertEquals(a.coreRoundTripNs(), b.coreRoundTripNs());
        }
    }

    @Test
    void theFileCarriesTheDocumentedFields() {
        Map<?, ?> root = (Map<?, ?>) Json.parse(ReportJson.write(report(latency("a", 3, 1, 2), skipped("b", "why"))));
        Map<?, ?> machine = (Map<?, ?>) root.get("machine");
        assertEquals(List.of("cores", "vectorBits", "jdk", "cpu", "kernels"), List.copyOf(machine.keySet()));
        List<?> benchmarks = (List<?>) root.get("benchmarks");
        Map<?, ?> a = (Map<?, ?>) benchmarks.get(0);
        assertEquals(List.of("name", "unit", "higherIsBetter", "threads", "median", "min", "max", "firstCallMs", "samples"), List.copyOf(a.keySet()));
        assertEquals(2.0, a.get("median"));
        assertEquals(1.0, a.get("min"));
        assertEquals(3.0, a.get("max"));
        assertEquals(false, a.get("higherIsBetter"));
        assertEquals("why", ((Map<?, ?>) benchmarks.get(1)).get("skipped"));
    }

    @Test
    void theCoreRoundTripIsWrittenWhenMeasuredAndOptionalOnReading() {
        Map<?, ?> root = (Map<?, ?>) Json.parse(ReportJson.write(report(latency("a", 1, 2), throughput("b", 3, 4).withCoreRoundTrip(120.5))));
        List<?> benchmarks = (List<?>) root.get("benchmarks");
        assertTrue(!((Map<?, ?>) benchmarks.get(0)).containsKey("coreRoundTripNs"), "not measured: not written");
        assertEquals(120.5, ((Map<?, ?>) benchmarks.get(1)).get("coreRoundTripNs"));
        String bench = "{" + GOOD_MACHINE + ",\"benchmarks\":[{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":2,\"samples\":[1.0]%s}]}";
        assertTrue(Double.isNaN(ReportJson.read(bench.formatted("")).benchmarks().get(0).coreRoundTripNs()), "a file of an older version");
        assertEquals(560.0, ReportJson.read(bench.formatted(",\"coreRoundTripNs\":560")).benchmarks().get(0).coreRoundTripNs());
        assertEquals("benchmark a: \"coreRoundTripNs\" must be a positive number", readError(bench.formatted(",\"coreRoundTripNs\":-3")));
        assertEquals("benchmark a: \"coreRoundTripNs\" must be a positive number", readError(bench.formatted(",\"coreRoundTripNs\":0")));
        assertTrue(readError(bench.formatted(",\"coreRoundTripNs\":\"fast\"")).contains("\"coreRoundTripNs\" must be a number"));
    }

    @Test
    void theMachineKernelsAreOptional() {
        BenchReport r = ReportJson.read("{" + GOOD_MACHINE + ",\"benchmarks\":[]}");
        assertNull(r.machine().kernels());
        assertEquals(2, r.machine().cores());
    }

    @Test
    void malformedJsonIsRefused() {
        assertTrue(readError("{\"machine\":").contains("invalid JSON"));
        assertTrue(readError("[1, 2]").contains("not a JSON object"));
    }

    @Test
    void missingFieldsAreNamed() {
        assertEquals("missing \"machine\"", readError("{\"benchmarks\":[]}"));
        assertEquals("missing \"benchmarks\"", readError("{" + GOOD_MACHINE + "}"));
        assertEquals("machine: missing \"cpu\"", readError("{\"machine\":{\"cores\":2,\"vectorBits\":256,\"jdk\":\"25\"},\"benchmarks\":[]}"));
        String bench = "{" + GOOD_MACHINE + ",\"benchmarks\":[%s]}";
        assertEquals("benchmarks[0]: missing \"name\"", readError(bench.formatted("{\"unit\":\"ms\"}")));
        assertEquals("benchmark a: missing \"higherIsBetter\", which the unit 'points' does not say (a time such as ms is lower-is-better, a rate such as reviews/s higher)",
                readError(bench.formatted("{\"name\":\"a\",\"unit\":\"points\",\"threads\":1,\"samples\":[1]}")));
        assertEquals("benchmark a: \"higherIsBetter\" is null", readError(bench.formatted("{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":null,\"threads\":1,\"samples\":[1]}")));
        assertEquals("benchmark a: missing \"samples\"",
                readError(bench.formatted("{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":1}")));
    }

    /**
     * The speed issue's own list of a benchmark's fields (name, unit, median, min, max, samples):
     * a file written to it by hand or by another tool was refused for want of higherIsBetter and
     * threads. The direction follows from a unit that says it; threads not given are 0.
     */
    @Test
    void aFileWithTheDocumentedFieldsOnlyIsRead() {
        String file = "{" + GOOD_MACHINE + ",\"benchmarks\":["
                + "{\"name\":\"lat\",\"unit\":\"ms\",\"median\":1.5,\"min\":1,\"max\":2,\"samples\":[1,1.5,2]},"
                + "{\"name\":\"rate\",\"unit\":\"reviews/s\",\"median\":2,\"min\":1,\"max\":3,\"samples\":[1,2,3]}]}";
        BenchReport r = ReportJson.read(file);
        assertEquals(false, r.benchmarks().get(0).higherIsBetter());
        assertEquals(true, r.benchmarks().get(1).higherIsBetter());
        assertEquals(0, r.benchmarks().get(0).threads());
    }

    @Test
    void wrongTypesAndValuesAreNamed() {
        String bench = "{" + GOOD_MACHINE + ",\"benchmarks\":[{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":%s,\"threads\":%s,\"samples\":%s}]}";
        assertEquals("benchmark a: \"higherIsBetter\" must be true or false, not a string", readError(bench.formatted("\"no\"", "1", "[1]")));
        assertEquals("benchmark a: \"threads\" must be a non-negative integer", readError(bench.formatted("false", "1.5", "[1]")));
        assertEquals("benchmark a: \"samples\" must be an array, not a number", readError(bench.formatted("false", "1", "1")));
        assertEquals("benchmark a: samples[1] is not a number", readError(bench.formatted("false", "1", "[1, \"2\"]")));
        assertEquals("a: no samples", readError(bench.formatted("false", "1", "[]")));
        assertEquals("a: sample -1.0 is not a number between 1.0E-12 and 1.0E12", readError(bench.formatted("false", "1", "[1, -1]")));
        // Finite but extreme: the medians and ratios of compare would overflow to Infinity or NaN.
        assertEquals("a: sample 1.0E308 is not a number between 1.0E-12 and 1.0E12", readError(bench.formatted("false", "1", "[1e308, 1.7e308]")));
        assertEquals("a: sample 4.9E-324 is not a number between 1.0E-12 and 1.0E12", readError(bench.formatted("false", "1", "[5e-324]")));
        String many = "[" + "1,".repeat(BenchResult.MAX_SAMPLES) + "1]";
        assertEquals("a: " + (BenchResult.MAX_SAMPLES + 1) + " samples, more than " + BenchResult.MAX_SAMPLES, readError(bench.formatted("false", "1", many)));
        assertEquals("\"benchmarks\" must be an array, not an object", readError("{" + GOOD_MACHINE + ",\"benchmarks\":{}}"));
    }

    /** Names and units go into the terminal's table: an escape code or a line break would forge its rows. */
    @Test
    void namesAndUnitsArePrintableAndSkipReasonsOneLine() {
        String bench = "{" + GOOD_MACHINE + ",\"benchmarks\":[{\"name\":%s,\"unit\":%s,\"higherIsBetter\":false,\"threads\":1,\"samples\":[1]}]}";
        assertTrue(readError(bench.formatted("\"\\u001b[31mRED\\u001b[0m\\nfake\"", "\"ms\"")).startsWith("name must be 1-200 printable characters, got \"?[31mRED?[0m?fake\""));
        assertTrue(readError(bench.formatted("\"a\"", "\"m\\ts\"")).startsWith("a: unit must be 1-200 printable characters"));
        assertTrue(readError(bench.formatted("\"\"", "\"ms\"")).startsWith("name must be 1-200 printable characters"));
        String skipped = "{" + GOOD_MACHINE + ",\"benchmarks\":[{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":2,"
                + "\"skipped\":\"one core\\nonly\\u001b[2J\"}]}";
        assertEquals("one core only [2J", ReportJson.read(skipped).benchmarks().get(0).skipped());
    }

    /** The machine strings are printed on compare's BASE/NEW lines and in its notes: an escape code or a line break would forge its output. */
    @Test
    void machineStringsArePrintable() {
        String machine = "{\"machine\":{\"cores\":2,\"vectorBits\":256,\"jdk\":%s,\"cpu\":%s,\"kernels\":%s},\"benchmarks\":[]}";
        assertEquals("machine: \"cpu\" must be at most 200 printable characters, got \"evil?[2J?fake line\"",
                readError(machine.formatted("\"25\"", "\"evil\\u001b[2J\\nfake line\"", "\"k\"")));
        assertTrue(readError(machine.formatted("\"25\\r\"", "\"x\"", "\"k\"")).startsWith("machine: \"jdk\" must be"));
        assertTrue(readError(machine.formatted("\"25\"", "\"x\"", "\"k\\u009b2J\"")).startsWith("machine: \"kernels\" must be"));
        assertTrue(readError(machine.formatted("\"25\"", "\"" + "x".repeat(201) + "\"", "\"k\"")).startsWith("machine: \"cpu\" must be"));
        assertEquals("", ReportJson.read(machine.formatted("\"25\"", "\"\"", "\"k\"")).machine().cpu());  // an empty model name: as read from /proc/cpuinfo
    }

    /** compare's work grows with the benchmarks and samples of a file: more than a run makes is refused, not ground through for minutes. */
    @Test
    void moreBenchmarksOrSamplesThanARunMakesAreRefused() {
        StringBuilder skipped = new StringBuilder("{" + GOOD_MACHINE + ",\"benchmarks\":[");
        for (int i = 0; i <= BenchReport.MAX_BENCHMARKS; i++) {
            skipped.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i).append("\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":1,\"skipped\":\"x\"}");
        }
        assertEquals("10001 benchmarks, more than 10000 (a run makes about a thousand at most)", readError(skipped.append("]}").toString()));
        StringBuilder heavy = new StringBuilder("{" + GOOD_MACHINE + ",\"benchmarks\":[");
        String samples = "[" + "1.5,".repeat(BenchResult.MAX_SAMPLES - 1) + "1.5]";
        for (int i = 0; i <= BenchReport.MAX_TOTAL_SAMPLES / BenchResult.MAX_SAMPLES; i++) {
            heavy.append(i == 0 ? "" : ",").append("{\"name\":\"b").append(i).append("\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":1,\"samples\":").append(samples).append("}");
        }
        assertEquals("110000 samples in all, more than 100000 (a run makes about 30,000 at most)", readError(heavy.append("]}").toString()));
    }

    @Test
    void aNameTwiceIsRefused() {
        String one = "{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":1,\"samples\":[1]}";
        assertEquals("benchmark a appears twice", readError("{" + GOOD_MACHINE + ",\"benchmarks\":[" + one + "," + one + "]}"));
    }

    @Test
    void nonFiniteSamplesCannotBeCreated() {
        assertThrows(IllegalArgumentException.class, () -> latency("a", STEADY[0], Double.POSITIVE_INFINITY));
    }
}
