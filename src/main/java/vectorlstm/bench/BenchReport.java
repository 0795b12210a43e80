package vectorlstm.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The results of one {@code ./lstm bench} run: the machine and every benchmark, in run order. */
public record BenchReport(Machine machine, List<BenchResult> benchmarks) {
    /**
     * More than a run makes (five benchmarks and two per {@code --lengths} value: at most 1,007, of
     * 8-30 samples each). Compare bootstraps every benchmark 4,000 times (1.2 s for one of
     * {@link BenchResult#MAX_SAMPLES} samples): without these bounds a 40 MB file of a thousand
     * such benchmarks kept it busy for about twenty minutes, and one of 300,000 skipped benchmarks
     * (27 MB) for more than two in its name lookups.
     */
    public static final int MAX_BENCHMARKS = 10_000, MAX_TOTAL_SAMPLES = 100_000;

    public BenchReport {
        benchmarks = List.copyOf(benchmarks);
        if (benchmarks.size() > MAX_BENCHMARKS) throw new IllegalArgumentException(benchmarks.size() + " benchmarks, more than " + MAX_BENCHMARKS + " (a run makes about a thousand at most)");
        long samples = 0;
        for (BenchResult b : benchmarks) samples += b.samples().length;
        if (samples > MAX_TOTAL_SAMPLES) throw new IllegalArgumentException(samples + " samples in all, more than " + MAX_TOTAL_SAMPLES + " (a run makes about 30,000 at most)");
        Set<String> names = new HashSet<>();
        for (BenchResult b : benchmarks) {
            if (!names.add(b.name())) throw new IllegalArgumentException("benchmark " + b.name() + " appears twice");
        }
    }

    public Optional<BenchResult> find(String name) {
        return benchmarks.stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
