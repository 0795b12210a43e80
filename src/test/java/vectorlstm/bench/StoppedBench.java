package vectorlstm.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import vectorlstm.model.ProgressLine;

/**
 * A bench parent whose one benchmark never ends, for {@link ForkedBenchTest}'s signal test:
 * {@code StoppedBench parent} forks {@code StoppedBench child}, which reports that it started and
 * then waits, as a long benchmark does, until it is stopped.
 */
final class StoppedBench {
    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("child")) {
            System.out.println("progress 1 started");
            System.out.flush();
            Thread.sleep(600_000);
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());  // the parent's -Djava.io.tmpdir too
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StoppedBench.class.getName(), "child"));
        SequencedMap<String, Integer> steps = new LinkedHashMap<>();
        steps.put("forever", 2);
        new ForkedBench(command).run(steps, new ProgressLine(new PrintStream(System.out, true, StandardCharsets.UTF_8), 2, false),
                (name, why) -> BenchResult.skipped(name, "ms", false, 1, why));
    }
}
