package vectorlstm.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link CheckpointFileTest}: loads the checkpoint named by its
 * argument, prints the refusal's message, then the process's peak resident memory (VmHWM, kB),
 * which no other test in that JVM has touched.
 */
public final class ForgedCheckpointLoad {
    private ForgedCheckpointLoad() {}

    public static void main(String[] args) throws Exception {
        try {
            CheckpointFile.load(Path.of(args[0]));
            System.out.println("loaded");
        } catch (ModelFileException e) {
            System.out.println(e.getMessage());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) System.out.println(line.replaceAll("\\D", ""));
        }
    }
}
