package vectorlstm.bench;

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
}
