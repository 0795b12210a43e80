package vectorlstm.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** What a command reads and writes: texts on {@code in}, results on {@code out}, messages and progress on {@code err}. */
record Streams(InputStream in, Output out, PrintStream err) {}
