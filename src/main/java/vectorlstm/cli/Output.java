package vectorlstm.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A command's standard output that does not hide write errors. {@link PrintStream} swallows them,
 * so {@code ./lstm predict > /dev/full} used to exit 0 and {@code ... | head -2} never ended. Here
 * every {@link #line} and {@link #flush} checks, and the first failure stops the command with
 * {@link Failed} (exit code 3, or 141 quietly for a closed pipe, as a shell reports SIGPIPE).
 */
final class Output {
    /** The output could not be written; the message is the system's ("No space left on device"). */
    static final class Failed extends UncheckedIOException {
        Failed(IOException cause) { super(cause.getMessage() == null ? "write failed" : cause.getMessage(), cause); }

        boolean brokenPipe() {
            String m = getMessage().toLowerCase(java.util.Locale.ROOT);
            return m.contains("broken pipe") || m.contains("pipe closed") || m.contains("stream closed");
        }
    }

    private final Recording sink;
    private final PrintStream stream, stopping;

    Output(OutputStream out) {
        this.sink = new Recording(out);
        this.stream = new PrintStream(sink, false, StandardCharsets.UTF_8);
        this.stopping = new PrintStream(new Stopping(sink), false, StandardCharsets.UTF_8);
    }

    /** Writes one line and flushes it (a consumer such as a service reads line by line). */
    void line(String s) {
        stream.println(s);
        flush();
    }

    void print(String s) {
        stream.print(s);
        check();
    }

    void flush() {
        stream.flush();
        check();
    }

    /**
     * A PrintStream for code that logs through one (fit's progress); {@link #check()} afterwards
     * (and every {@link #line}) turns a failure it hid into {@link Failed}.
     */
    PrintStream stream() { return stream; }

    /**
     * A PrintStream whose first failed write throws {@link Failed} out of the print call itself, so
     * the command stops there, a fit included (its log runs on the fitting thread). For commands
     * with nothing to keep once no one reads them (demo, a bench child whose parent is gone), which
     * ran on for minutes; a command that must finish its work first (train saves its model) logs
     * through {@link #stream()} instead.
     */
    PrintStream stoppingStream() { return stopping; }

    /** True when standard output is a terminal (progress bars redraw in place; logs get plain lines). */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    void check() {
        if (sink.failure != null) throw new Failed(sink.failure);
        if (stream.checkError()) throw new Failed(new IOException("write failed"));
    }

    /** Turns a failed write into {@link Failed}, which PrintStream lets through where it swallows an IOException. */
    private static final class Stopping extends OutputStream {
        private final Recording out;

        Stopping(Recording out) { this.out = out; }

        @Override public void write(int b) { stopOnFailure(() -> out.write(b)); }
        @Override public void write(byte[] b, int off, int len) { stopOnFailure(() -> out.write(b, off, len)); }
        @Override public void flush() { stopOnFailure(out::flush); }

        private static void stopOnFailure(Recording.Io io) {
            try {
                io.run();
            } catch (IOException e) {
                throw new Failed(e);
            }
        }
    }

    /** Remembers the first IOException that PrintStream will swallow. */
    private static final class Recording extends OutputStream {
        private final OutputStream out;
        private IOException failure;

        Recording(OutputStream out) { this.out = out; }

        @Override public void write(int b) throws IOException { guard(() -> out.write(b)); }
        @Override public void write(byte[] b, int off, int len) throws IOException { guard(() -> out.write(b, off, len)); }
        @Override public void flush() throws IOException { guard(out::flush); }

        private interface Io { void run() throws IOException; }

        private void guard(Io io) throws IOException {
            if (failure != null) throw failure;
            try {
                io.run();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
