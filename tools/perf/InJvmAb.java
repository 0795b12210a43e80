import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Two builds of vector-lstm measured against each other in one JVM, alternately: the A/B tool for
 * a change whose effect is smaller than this machine's slow spells, which last seconds to
 * minutes: one review took 0.77 to 1.46 ms in back-to-back bench processes of the same two jars,
 * so two processes one after the other can disagree by more than the change. Each build is loaded from its own jar by its own class
 * loader, so each has its own compiled code; the rounds alternate which goes first.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      tools/perf/InJvmAb.java BASE_DIR NEW_DIR ROUNDS NAME[,NAME...] [THREADS]
 * </pre>
 * A build directory holds {@code vector-lstm.jar} and its {@code lib/} (as {@code target/} after
 * {@code mvn package}: copy both elsewhere before building the other commit). NAMEs are
 * {@code ./lstm bench} benchmark names; each runs with a short configuration (1 s warm-up, 15
 * latency samples of 10 calls, 6 throughput samples). Prints each round's medians and, per
 * benchmark, the median of the per-round ratios: above 1 means NEW is faster.
 */
public final class InJvmAb {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: InJvmAb BASE_DIR NEW_DIR ROUNDS NAME[,NAME...] [THREADS]");
            System.exit(2);
        }
        ClassLoader base = loader(Path.of(args[0])), next = loader(Path.of(args[1]));
        int rounds = Integer.parseInt(args[2]);
        String[] names = args[3].split(",");
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String name : names) {
                boolean baseFirst = r % 2 == 0;
                double first = median(baseFirst ? base : next, name, threads);
                double second = median(baseFirst ? next : base, name, threads);
                double b = baseFirst ? first : second, n = baseFirst ? second : first;
                double ratio = name.contains("throughput") ? n / b : b / n;
                ratios.computeIfAbsent(name, k -> new ArrayList<>()).add(ratio);
                System.out.printf("round %d  %-32s base %.4g  new %.4g  new faster x%.3f%n", r + 1, name, b, n, ratio);
            }
        }
        for (var e : ratios.entrySet()) {
            List<Double> sorted = new ArrayList<>(e.getValue());
            Collections.sort(sorted);
            System.out.printf("%-32s median x%.3f  [%.3f - %.3f] over %d rounds%n", e.getKey(), sorted.get(sorted.size() / 2),
                    sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
        }
    }

    private static ClassLoader loader(Path build) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(build.resolve("vector-lstm.jar").toUri().toURL());
        try (var libs = Files.list(build.resolve("lib"))) {
            for (Path lib : libs.toList()) urls.add(lib.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** One benchmark of one build, through its public BenchRunner on the seed model; the median of its samples. */
    private static double median(ClassLoader build, String name, int threads) throws Exception {
        Class<?> config = build.loadClass("vectorlstm.bench.BenchConfig");
        Object settings = config.getConstructors()[0].newInstance(Duration.ofSeconds(1), 15, 10, 6, 256, 256, 2, 64, threads, 7L);
        Method seedModel = build.loadClass("vectorlstm.cli.SeedModel").getMethod("build", int.class, int.class, long.class);
        Supplier<Object> model = () -> {
            try {
                return seedModel.invoke(null, 5000, 500, 7L);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        Class<?> runner = build.loadClass("vectorlstm.bench.BenchRunner");
        Class<?> progress = build.loadClass("vectorlstm.bench.BenchProgress");
        Object silent = java.lang.reflect.Proxy.newProxyInstance(build, new Class<?>[] {progress}, (proxy, method, margs) -> null);
        Object result = runner.getMethod("run", String.class, progress)
                .invoke(runner.getConstructor(config, Supplier.class).newInstance(settings, model), name, silent);
        return (double) result.getClass().getMethod("median").invoke(result);
    }
}
