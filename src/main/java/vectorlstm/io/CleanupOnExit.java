package vectorlstm.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a process stopped by a signal (kill, Ctrl-C, a CI job's cancel) must not leave behind: a
 * temporary file, a child process. One shutdown hook for all of them; only SIGKILL or a power cut
 * skips it. {@code try (var c = CleanupOnExit.register(...)) {...}}: the cleanup runs at the end
 * of the block or when the JVM exits, whichever comes first, and once.
 */
public final class CleanupOnExit implements AutoCloseable {
    private static final Set<CleanupOnExit> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (CleanupOnExit c : PENDING) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // one cleanup that fails must not keep the others from running
                }
            }
        }, "cleanup-on-exit"));
    }

    private final Runnable cleanup;

    private CleanupOnExit(Runnable cleanup) { this.cleanup = cleanup; }

    public static CleanupOnExit register(Runnable cleanup) {
        CleanupOnExit c = new CleanupOnExit(cleanup);
        PENDING.add(c);
        return c;
    }

    /** Deletes {@code file} (if it is still there) at the end of the block or on exit. */
    public static CleanupOnExit deleting(Path file) {
        return register(() -> {
            try { Files.deleteIfExists(file); } catch (IOException ignored) { /* best effort: a temporary file */ }
        });
    }

    /** Runs the cleanup unless the exit (or an earlier close) did; the hook and the block's end may race. */
    @Override
    public void close() {
        if (PENDING.remove(this)) cleanup.run();
    }
}
