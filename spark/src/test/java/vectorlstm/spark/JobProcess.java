package vectorlstm.spark;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ScoreJob#main} in a JVM of its own, as spark-submit starts it on {@code local[2]}:
 * its exit code and console are what a user sees, which a test in the shared session cannot
 * observe (main stops the session and calls System.exit). The test classes are left off the class
 * path, so the job logs with Spark's default profile (INFO to the console), not the tests' quiet one.
 */
final class JobProcess {
    /** What the run printed; {@code stderr} holds Spark's log lines as well as the job's own. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The job's own lines on stderr (Spark's log lines and the JVM's warnings left out). */
        List<String> jobLines() {
            return stderr.lines().filter(l -> l.startsWith("vlstm-score:")).toList();
        }
    }

    private JobProcess() {}

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, List.of(), args);
    }

    /** @param jvmOptions more options for the job's JVM, e.g. a Spark setting as {@code -Dspark.x=y} (what spark-submit's --conf gives) */
    static Result run(Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process p = start(workDir, jvmOptions, args);
        Path out = workDir.resolve("job.stdout"), err = workDir.resolve("job.stderr");
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the job did not end in 3 minutes; its stderr:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts the job and returns at once; its console goes to job.stdout and job.stderr in {@code workDir}. */
    static Process start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // This JVM's options are the pom's argLine: Spark's module options and ours. A smaller heap: two JVMs share the machine.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Xmx")) command.add(option);
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-cp", jobClassPath(), ScoreJob.class.getName()));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("job.stdout").toFile()).redirectError(workDir.resolve("job.stderr").toFile()).start();
    }

    /** The module's classes, Spark's jars and commons-math3 (surefire's class path), without the test classes. */
    private static String jobClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith("test-classes"))
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
    }
}
