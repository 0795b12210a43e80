package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.bench.Reports.STEADY;
import static vectorlstm.bench.Reports.latency;
import static vectorlstm.bench.Reports.report;
import static vectorlstm.bench.Reports.scaled;
import static vectorlstm.bench.Reports.throughput;

import org.junit.jupiter.api.Test;

/** The terminal tables: the cores' round trip where one was measured, numbers of any size, intervals only where there are some. */
class BenchTablesTest {
    @Test
    void theRoundTripLineListsTheBenchmarksThatMeasuredIt() {
        String table = BenchTables.results(report(latency("one", STEADY), throughput("two", STEADY).withCoreRoundTrip(452.4)));
        assertTrue(table.contains("core-to-core round trip: 452 ns (two)"), table);
        assertFalse(table.contains("(one)"), table);
        assertFalse(BenchTables.results(report(latency("one", STEADY))).contains("round trip"));
    }

    @Test
    void aThresholdIsShownAsGiven() {
        // A 0.001 % threshold was shown as "beyond 0%".
        assertEquals("5%", BenchTables.percent(0.05));
        assertEquals("2.5%", BenchTables.percent(0.025));
        assertEquals("0.001%", BenchTables.percent(0.00001));
        assertEquals("0%", BenchTables.percent(0));
        assertEquals("150%", BenchTables.percent(1.5));
    }

    @Test
    void mediansBelowATenThousandthKeepTheirDigits() {
        // %.4f printed every value below 0.00005 as 0.0000: a 20 ns median in ms read as nothing.
        double[] tiny = {2.0e-5, 2.1e-5, 1.9e-5, 2.05e-5, 2.0e-5, 1.95e-5, 2.1e-5, 2.0e-5};
        String results = BenchTables.results(report(latency("tiny", tiny)));
        assertTrue(results.contains("2.000e-05") && results.contains("1.900e-05") && results.contains("2.100e-05"), results);
        assertFalse(results.contains("0.0000"), results);
        String compared = BenchTables.comparison(Comparison.of(report(latency("tiny", tiny)), report(latency("tiny", scaled(tiny, 2))), 0.05));
        assertTrue(compared.contains("2.000e-05") && compared.contains("4.000e-05"), compared);
        assertEquals("0.01234", BenchTables.number(0.012341));
        assertEquals("0.0001000", BenchTables.number(1e-4));
        // The others look as they did.
        assertEquals("0.6123", BenchTables.number(0.6123));
        assertEquals("0.6120", BenchTables.number(0.612));
        assertEquals("1.284", BenchTables.number(1.284));
        assertEquals("81.23", BenchTables.number(81.23));
        assertEquals("812.3", BenchTables.number(812.3));
        assertEquals("3,691", BenchTables.number(3691.2));
        assertEquals("0.0000", BenchTables.number(0));
    }

    @Test
    void fewerThanFiveSamplesASideGiveNoInterval() {
        // Three samples a side printed a bootstrap "95% CI" of [1.000, 1.000]: resampled medians of three values take three values.
        double[] three = {1.30, 1.31, 1.29};
        Comparison few = Comparison.of(report(latency("few", three), latency("many", STEADY)), report(latency("few", three), latency("many", STEADY)), 0.05);
        Comparison.Compared fewRow = (Comparison.Compared) few.rows().get(0), manyRow = (Comparison.Compared) few.rows().get(1);
        assertFalse(fewRow.hasInterval());
        assertTrue(Double.isNaN(fewRow.ciLow()) && Double.isNaN(fewRow.ciHigh()));
        assertTrue(manyRow.hasInterval() && manyRow.ciLow() <= 1 && manyRow.ciHigh() >= 1);
        String table = BenchTables.comparison(few);
        String fewLine = table.lines().filter(l -> l.startsWith("few")).findFirst().orElseThrow();
        assertTrue(fewLine.contains(" n/a ") && !fewLine.contains("["), fewLine);
        assertTrue(table.lines().filter(l -> l.startsWith("many")).findFirst().orElseThrow().contains("["), table);
        assertTrue(table.contains("CI n/a: fewer than 5 samples in BASE or NEW"), table);
        double[] five = {1.30, 1.31, 1.29, 1.32, 1.30};
        Comparison enough = Comparison.of(report(latency("a", five)), report(latency("a", scaled(five, 1.5))), 0.05);
        assertTrue(((Comparison.Compared) enough.rows().get(0)).hasInterval(), "5 a side: an interval");
        assertFalse(BenchTables.comparison(enough).contains("n/a"));
        Comparison oneSide = Comparison.of(report(latency("a", STEADY)), report(latency("a", three)), 0.05);
        assertFalse(((Comparison.Compared) oneSide.rows().get(0)).hasInterval(), "one side short is enough to have none");
    }
}
