package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.bench.Reports.STEADY;
import static vectorlstm.bench.Reports.latency;
import static vectorlstm.bench.Reports.report;
import static vectorlstm.bench.Reports.scaled;
import static vectorlstm.bench.Reports.skipped;
import static vectorlstm.bench.Reports.throughput;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Verdicts, ratios, intervals and p-values on made-up samples whose answer is known. */
class ComparisonTest {
    private static Comparison.Compared single(BenchResult base, BenchResult next, double threshold) {
        Comparison c = Comparison.of(report(base), report(next), threshold);
        assertEquals(1, c.rows().size());
        return (Comparison.Compared) c.rows().get(0);
    }

    @Test
    void aSkipReasonIsOneShortLineWithoutEscapeCodes() {
        // C1 controls (the 8-bit CSI 0x9B, NEL 0x85) went to the terminal; a 20-million-character reason made a 20 MB line.
        String reason = skipped("x", "boom\u009b2J\u009b31mRED \u0085NEL\ttab\n" + "y".repeat(20_000_000)).skipped();
        assertTrue(reason.startsWith("boom 2J 31mRED  NEL tab "), reason.substring(0, 40));
        assertTrue(reason.chars().noneMatch(Character::isISOControl), "no control character");
        assertEquals(200, reason.codePointCount(0, reason.length()), "cut to 200 characters");
        assertTrue(reason.endsWith("y\u2026"));
        assertEquals("one core \uD83D\uDE00", skipped("x", "one core \uD83D\uDE00").skipped(), "a short reason stays as it is");
    }

    @Test
    void aClearlySlowerLatencyIsSlower() {
        var r = single(latency("a", STEADY), latency("a", scaled(STEADY, 1.3)), 0.05);
        assertEquals(Verdict.SLOWER, r.verdict());
        assertEquals(1.3, r.ratio(), 1e-9);
        assertEquals(1.3, r.timeFactor(), 1e-9);
        assertTrue(r.p() < 0.01, "p = " + r.p());
        assertTrue(r.ciLow() > 1 && r.ciLow() <= r.ratio() && r.ratio() <= r.ciHigh(), r.ciLow() + " .. " + r.ciHigh());
        assertEquals("1.30x slower", Comparison.change(r.timeFactor()));
    }

    @Test
    void aClearlyFasterLatencyIsFaster() {
        var r = single(latency("a", STEADY), latency("a", scaled(STEADY, 0.8)), 0.05);
        assertEquals(Verdict.FASTER, r.verdict());
        assertEquals("1.25x faster", Comparison.change(r.timeFactor()));
        assertTrue(r.ciHigh() < 1);
    }

    /** Two humps (near and far placement): NEW's median is above BASE's, but NEW is the lower in 72 % of the pairs. */
    private static double[] humps(double low, int lows, double high, int highs) {
        double[] s = new double[lows + highs];
        for (int i = 0; i < s.length; i++) s[i] = (i < lows ? low : high) + 0.001 * (i < lows ? i : i - lows);
        return s;
    }

    @Test
    void mediansAndRanksPointingApartAreTheSame() {
        // Found in review: this pair was "1.08x slower" with p = 0.004 and exit 1, a CI gate failed by a faster NEW.
        double[] base = humps(1.0, 16, 3.0, 14), next = humps(0.5, 14, 1.1, 16);
        var r = single(latency("a", base), latency("a", next), 0.05);
        assertTrue(r.timeFactor() > 1.05, "the medians say slower: " + r.timeFactor());
        assertTrue(r.p() < 0.01, "and the difference is significant: p = " + r.p());
        assertTrue(Comparison.shareOfPairsNewAbove(base, next) < 0.5, "but the ranks put NEW lower");
        assertEquals(Verdict.SAME, r.verdict());
        // The same samples as throughputs: the medians say faster, the ranks slower.
        assertEquals(Verdict.SAME, single(throughput("t", base), throughput("t", next), 0.05).verdict());
    }

    @Test
    void theShareOfPairsCountsTiesAsHalf() {
        assertEquals(0.5, Comparison.shareOfPairsNewAbove(STEADY, STEADY), 1e-12);
        assertEquals(1.0, Comparison.shareOfPairsNewAbove(new double[] {1, 2}, new double[] {3, 4, 5}), 1e-12);
        assertEquals(0.0, Comparison.shareOfPairsNewAbove(new double[] {3, 4, 5}, new double[] {1, 2}), 1e-12);
        // Pairs (1,1) tie, (1,2) above, (2,1) below, (2,2) tie: (0.5 + 1 + 0 + 0.5) / 4.
        assertEquals(0.5, Comparison.shareOfPairsNewAbove(new double[] {1, 2}, new double[] {1, 2}), 1e-12);
        assertEquals(0.75, Comparison.shareOfPairsNewAbove(new double[] {1, 2}, new double[] {2, 2}), 1e-12);
    }

    @Test
    void identicalSamplesAreTheSame() {
        var r = single(latency("a", STEADY), latency("a", STEADY), 0.05);
        assertEquals(Verdict.SAME, r.verdict());
        assertEquals(1.0, r.ratio());
        assertEquals(1.0, r.p(), 1e-9);
        assertTrue(r.ciLow() <= 1 && r.ciHigh() >= 1);
    }

    @Test
    void forThroughputsLowerIsSlower() {
        double[] base = scaled(STEADY, 300);  // ~390 reviews/s
        var slower = single(throughput("t", base), throughput("t", scaled(base, 0.7)), 0.05);
        assertEquals(Verdict.SLOWER, slower.verdict());
        assertEquals(1 / 0.7, slower.timeFactor(), 1e-9);
        var faster = single(throughput("t", base), throughput("t", scaled(base, 1.5)), 0.05);
        assertEquals(Verdict.FASTER, faster.verdict());
        assertEquals("1.50x faster", Comparison.change(faster.timeFactor()));
    }

    @Test
    void aSignificantChangeUnderTheThresholdIsTheSame() {
        // Every NEW sample is 3 % slower: significant, but not beyond 5 %.
        var r = single(latency("a", STEADY), latency("a", scaled(STEADY, 1.03)), 0.05);
        assertTrue(r.p() < 0.01, "p = " + r.p());
        assertEquals(Verdict.SAME, r.verdict());
        // ... and slower once the threshold is 2 %.
        assertEquals(Verdict.SLOWER, single(latency("a", STEADY), latency("a", scaled(STEADY, 1.03)), 0.02).verdict());
    }

    @Test
    void aLargeChangeInNoisyOverlappingSamplesIsTheSame() {
        double[] base = {1.0, 2.9, 1.4, 3.8, 1.1, 2.2, 4.0, 1.6, 3.1, 1.2};
        double[] next = {1.3, 3.5, 1.2, 4.4, 2.6, 1.5, 4.1, 2.0, 3.9, 1.1};
        var r = single(latency("a", base), latency("a", next), 0.05);
        assertTrue(r.timeFactor() > 1.05, "the medians differ by more than the threshold: " + r.timeFactor());
        assertTrue(r.p() >= 0.01, "but the samples overlap: p = " + r.p());
        assertEquals(Verdict.SAME, r.verdict());
        assertTrue(r.ciLow() < 1 && r.ciHigh() > 1, "the interval straddles 1: " + r.ciLow() + " .. " + r.ciHigh());
    }

    @Test
    void theIntervalIsReproducible() {
        double[] next = {1.0, 2.9, 1.4, 3.8, 1.1, 2.2, 4.0, 1.6, 3.1, 1.2};
        var a = single(latency("a", STEADY), latency("a", next), 0.05);
        var b = single(latency("a", STEADY), latency("a", next), 0.05);
        assertEquals(a.ciLow(), b.ciLow());
        assertEquals(a.ciHigh(), b.ciHigh());
    }

    @Test
    void benchmarksInOneFileOnlyOrSkippedAreListedNotCompared() {
        Comparison c = Comparison.of(
                report(latency("both", STEADY), latency("gone", STEADY), skipped("twoCores", "not built yet")),
                report(latency("both", scaled(STEADY, 1.5)), latency("twoCores", STEADY), latency("added", STEADY)), 0.05);
        List<String> rows = c.rows().stream().map(r -> r.name() + ": " + switch (r) {
            case Comparison.Compared x -> x.verdict().toString();
            case Comparison.Unmatched u -> u.note();
        }).toList();
        assertEquals(List.of("both: SLOWER", "gone: only in BASE", "twoCores: skipped in BASE: not built yet", "added: only in NEW"), rows);
        assertTrue(c.anySlower());
        assertEquals(List.of("gone"), c.notMeasuredInNew());
        String table = BenchTables.comparison(c);
        assertTrue(table.contains("only in NEW") && table.contains("1.50x slower") && table.contains("1 slower, 0 faster, 0 same, 1 not measured in NEW"), table);
    }

    @Test
    void onlyWhatBaseMeasuredAndNewDidNotIsLost() {
        Comparison c = Comparison.of(
                report(latency("both", STEADY), latency("gone", STEADY), latency("crashed", STEADY), skipped("neverRan", "one core"),
                        skipped("skippedTwice", "one core")),
                report(latency("both", STEADY), skipped("crashed", "the child exited with 134"), latency("neverRan", STEADY),
                        skipped("skippedTwice", "one core")), 0.05);
        assertEquals(List.of("gone", "crashed"), c.notMeasuredInNew());
        assertFalse(c.anySlower());
        assertTrue(BenchTables.comparison(c).contains("0 slower, 0 faster, 1 same, 2 not measured in NEW"), BenchTables.comparison(c));
        Comparison full = Comparison.of(report(latency("both", STEADY)), report(latency("both", STEADY), latency("added", STEADY)), 0.05);
        assertEquals(List.of(), full.notMeasuredInNew());
        assertFalse(BenchTables.comparison(full).contains("not measured"), BenchTables.comparison(full));
    }

    @Test
    void nothingInCommonIsAnError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Comparison.of(report(latency("a", STEADY)), report(latency("b", STEADY)), 0.05));
        assertTrue(e.getMessage().contains("the two files have no benchmark in common"), e.getMessage());
        var skippedInBase = assertThrows(IllegalArgumentException.class,
                () -> Comparison.of(report(skipped("a", "x")), report(latency("a", STEADY)), 0.05));
        assertTrue(skippedInBase.getMessage().contains("no benchmark was measured in both"), skippedInBase.getMessage());
    }

    /** `bench --only a` that skipped a in NEW: a result (a benchmark lost), not bad input; it was exit 2. */
    @Test
    void everyBenchmarkLostInNewIsAResultNotAnError() {
        Comparison c = Comparison.of(report(latency("a", STEADY)), report(skipped("a", "no two cores")), 0.05);
        assertEquals(List.of("a"), c.notMeasuredInNew());
        assertFalse(c.anySlower());
    }

    @Test
    void differentUnitsForOneNameAreAnError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Comparison.of(report(latency("a", STEADY)), report(throughput("a", STEADY)), 0.05));
        assertTrue(e.getMessage().contains("not comparable"), e.getMessage());
    }

    @Test
    void differentMachinesAndThreadCountsAreNoted() {
        BenchReport other = new BenchReport(new Machine(4, 512, "25.0.1+8-LTS", "Other CPU", null),
                List.of(new BenchResult("a", "ms", false, 2, 1, STEADY, null)));
        Comparison c = Comparison.of(report(latency("a", STEADY)), other, 0.05);
        assertEquals(2, c.notes().size(), c.notes().toString());
        assertTrue(c.notes().get(0).contains("cpu Test CPU / Other CPU") && c.notes().get(0).contains("vector bits 256 / 512"), c.notes().get(0));
        assertTrue(c.notes().get(1).contains("BASE used 1 thread, NEW 2 threads"), c.notes().get(1));
        assertFalse(c.anySlower());
    }

    @Test
    void aDifferentPlacementOfTheCoresIsNotedButDecidesNothing() {
        double[] slower = Reports.scaled(STEADY, 1.5);
        Comparison far = Comparison.of(report(throughput("two", STEADY).withCoreRoundTrip(120)),
                report(throughput("two", Reports.scaled(STEADY, 1 / 1.5)).withCoreRoundTrip(560)), 0.05);
        assertEquals(1, far.notes().size(), far.notes().toString());
        assertTrue(far.notes().get(0).contains("two: the cores' round trip was 120 ns in BASE and 560 ns in NEW"), far.notes().get(0));
        assertTrue(far.anySlower(), "the verdict stays the statistics' own");
        Comparison same = Comparison.of(report(latency("one", STEADY).withCoreRoundTrip(450)), report(latency("one", slower).withCoreRoundTrip(560)), 0.05);
        assertTrue(same.notes().isEmpty(), "450 against 560 ns is one placement: " + same.notes());
        // One side without it (its probe timed out on a busy machine): a "slower" two-thread figure had nothing beside it.
        Comparison oneMissing = Comparison.of(report(latency("one", STEADY)), report(latency("one", slower).withCoreRoundTrip(560)), 0.05);
        assertEquals(1, oneMissing.notes().size(), oneMissing.notes().toString());
        assertTrue(oneMissing.notes().get(0).contains("one: the cores' round trip was not measured in BASE and 560 ns in NEW"), oneMissing.notes().get(0));
        assertTrue(oneMissing.anySlower(), "the verdict stays the statistics' own");
    }

    @Test
    void aNegativeThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(report(latency("a", STEADY)), report(latency("a", STEADY)), -0.05));
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(report(latency("a", STEADY)), report(latency("a", STEADY)), Double.NaN));
    }
}
