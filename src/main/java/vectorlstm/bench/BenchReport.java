package vectorlstm.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The results of one {@code ./lstm bench} run: the machine and every benchmark, in run order. */
public record BenchReport(Machine machine, List<BenchResult> benchmarks) {
    public BenchReport {
        benchmarks = List.copyOf(benchmarks);
        Set<String> names = new HashSet<>();
        for (BenchResult b : benchmarks) {
            if (!names.add(b.name())) throw new IllegalArgumentException("benchmark " + b.name() + " appears twice");
        }
    }

    public Optional<BenchResult> find(String name) {
        return benchmarks.stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
