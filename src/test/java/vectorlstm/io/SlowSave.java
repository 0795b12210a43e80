package vectorlstm.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A process that is in the middle of saving when it is killed (for HostileInputTest): it writes
 * 1 MiB of the temporary file, says "writing" on stdout and waits to be killed.
 */
public final class SlowSave {
    private SlowSave() {}

    public static void main(String[] args) throws Exception {
        AtomicFile.write(Path.of(args[0]), ch -> {
            AtomicFile.writeFully(ch, ByteBuffer.allocate(1 << 20));
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
