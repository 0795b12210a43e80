package vectorlstm.bench;

import java.util.List;

/** Made-up reports for the comparison and file tests. */
final class Reports {
    static final Machine MACHINE = new Machine(2, 256, "25.0.1+8-LTS", "Test CPU", "Panama Vector API, 256-bit (8 floats), FMA");

    private Reports() {}

    static BenchResult latency(String name, double... samples) {
        return new BenchResult(name, "ms", false, 1, 250.0, samples, null);
    }

    static BenchResult throughput(String name, double... samples) {
        return new BenchResult(name, "reviews/s", true, 2, 4000.0, samples, null);
    }

    static BenchResult skipped(String name, String reason) {
        return new BenchResult(name, "ms", false, 2, Double.NaN, new double[0], reason);
    }

    static BenchReport report(BenchResult... results) {
        return new BenchReport(MACHINE, List.of(results));
    }

    /** {@code values} each multiplied by {@code factor}. */
    static double[] scaled(double[] values, double factor) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) out[i] *= factor;
        return out;
    }

    /** Ten latencies around 1.3 ms with a 2 % spread, as a quiet machine gives. */
    static final double[] STEADY = {1.30, 1.31, 1.29, 1.32, 1.30, 1.28, 1.31, 1.30, 1.33, 1.29};
}
