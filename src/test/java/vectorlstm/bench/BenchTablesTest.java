package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.bench.Reports.STEADY;
import static vectorlstm.bench.Reports.latency;
import static vectorlstm.bench.Reports.report;
import static vectorlstm.bench.Reports.throughput;

import org.junit.jupiter.api.Test;

/** The results table names the cores' round trip where one was measured, and only there. */
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
}
