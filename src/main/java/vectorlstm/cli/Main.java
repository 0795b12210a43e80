package vectorlstm.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import vectorlstm.data.DataException;
import vectorlstm.importer.ImportException;
import vectorlstm.io.ModelFileException;
import vectorlstm.model.TrainingDiverged;
import vectorlstm.text.vectors.VectorFileException;

/**
 * Entry point of {@code ./lstm}. picocli holds every flag, default and help text in one place
 * (the command classes); this class turns outcomes into exit codes and one-line messages:
 *
 * <pre>
 *   0    done
 *   1    bench compare found a slowdown or a benchmark of BASE missing from NEW; or an internal failure (a bug: please report it)
 *   2    bad command line or bad input (file, data, model, vectors, out of memory for the sizes asked)
 *   3    the output could not be written (disk full, I/O error)
 *   141  the output was closed early (a pipe into head): stopped quietly, as a shell's SIGPIPE
 * </pre>
 */
@Command(name = "lstm", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "LSTM text classifiers on the CPU: train, evaluate, score, benchmark.",
        // One code a line, as the table above: picocli wraps each footer line by itself, and a list
        // across lines broke mid-list ("2 bad input,\n3 output ...").
        footer = {"", "Exit codes:",
                "  0    done",
                "  1    slowdown or missing benchmark (bench compare), or an internal error",
                "  2    bad command line or bad input (an output path found unwritable",
                "       before any work included)",
                "  3    output not writable (found while writing: disk full, I/O error)",
                "  4    predict: no input could be scored (each got an error line)",
                "  141  output closed early",
                "",
                "Data lookup for IMDB: --data, else $VLSTM_DATA, else $XDG_CACHE_HOME/vector-lstm or ~/.cache/vector-lstm, "
                        + "else a download of the original archive into that cache."})
public final class Main implements Callable<Integer> {
    static final int OK = 0, FAILED = 1, BAD_INPUT = 2, OUTPUT_FAILED = 3, NOTHING_SCORED = 4, OUTPUT_CLOSED = 141;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.in, new FileOutputStream(FileDescriptor.out), System.err));
    }

    /** For tests: {@code out} as a PrintStream. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    private static void giveVersionToAll(CommandLine command) {
        command.getCommandSpec().versionProvider(new Version());
        for (CommandLine sub : command.getSubcommands().values()) giveVersionToAll(sub);
    }

    /** A file option (a Path) whose value is one of its command's flags: the file name was forgotten, and the flag taken for it. */
    private static void refuseFlagsAsFileNames(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                if (o.type() != java.nio.file.Path.class) continue;
                Object value = o.getValue();
                String name = value == null ? "" : value.toString();
                if (p.commandSpec().findOption(name.split("=", 2)[0]) != null && name.startsWith("-")) {
                    throw new CommandLine.ParameterException(p.commandSpec().commandLine(),
                            "Expected parameter for option '" + o.longestName() + "' but found '" + name + "'");
                }
            }
        }
    }

    static int run(String[] args, InputStream in, OutputStream out, PrintStream err) {
        Streams streams = new Streams(in, new Output(out), err);
        CommandLine cl = commandLine(streams);
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {  // an Error: picocli's handler does not see it
            err.println("lstm: not enough memory (" + e.getMessage() + ") for the sizes asked; give the JVM more (VLSTM_JAVA_OPTS=-Xmx...) or ask for less");
            return BAD_INPUT;
        } catch (Error e) {  // nor any other Error: one line, as for an internal RuntimeException, not a stack trace
            if (e instanceof ExceptionInInitializerError init && init.getCause() instanceof IllegalArgumentException setting) {
                // A JVM setting read once, when the kernels' class is first loaded (-Dvectorlstm.bits=265): the user's, not ours.
                err.println(oneLine("lstm: " + setting.getMessage()));
                return BAD_INPUT;
            }
            err.println(oneLine("lstm: internal error (" + e + "); please report it with the command line"));
            return FAILED;
        }
        try {
            streams.out().flush();
        } catch (Output.Failed e) {
            return code != OK ? code : report(e, err);  // a command that failed has said why once already
        }
        return code;
    }

    static CommandLine commandLine(Streams s) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new CommandLine(new DemoCommand(s)).addSubcommand(new VowelsDemoCommand(s)));
        cl.addSubcommand(new SummaryCommand(s));
        cl.addSubcommand(new TrainCommand(s));
        cl.addSubcommand(new EvalCommand(s));
        cl.addSubcommand(new PredictCommand(s));
        cl.addSubcommand(new ImportCommand(s));
        cl.addSubcommand(new ExplainCommand(s));
        cl.addSubcommand(new PlotCommand(s));
        cl.addSubcommand(new ServeCommand(s));
        cl.addSubcommand(new CommandLine(new BenchCommand(s)).addSubcommand(new BenchCompareCommand(s)));
        cl.addSubcommand(new AutoComplete.GenerateCompletion());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false)
                .description("Prints a bash/zsh completion script: source <(./lstm generate-completion)");
        // Every command's help lists -V, --version; only this one had a provider, so "train ... -V"
        // printed nothing and exited 0 without training.
        giveVersionToAll(cl);
        cl.setOut(new PrintWriter(s.out().stream(), true));
        cl.setErr(new PrintWriter(s.err(), true));
        // A value may start with "-" (a text to score: --text "--great film", --text "-hmm, not great").
        // But a file is not named after one of the command's own flags: with the file name forgotten,
        // "--save --force" wrote a model to a file named "--force" (refuseFlagsAsFileNames).
        cl.setAllowOptionsAsOptionParameters(true);
        cl.setExecutionStrategy(parsed -> {
            refuseFlagsAsFileNames(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setParameterExceptionHandler((thrown, args) -> {
            // picocli checks the required options before it reports unknown ones: a mistyped
            // "--outt x" was told "Missing required option: '--out=MODEL'", not what was wrong.
            CommandLine.ParameterException e = thrown;
            if (thrown instanceof CommandLine.MissingParameterException) {  // the command's own, or a parent's ("./lstm --foo explain")
                for (CommandLine c = thrown.getCommandLine(); c != null && e == thrown; c = c.getParent()) {
                    if (!c.getUnmatchedArguments().isEmpty()) e = new CommandLine.UnmatchedArgumentException(c, c.getUnmatchedArguments());
                }
            }
            PrintWriter err = e.getCommandLine().getErr();
            err.println("lstm: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("hint: " + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^lstm", "./lstm") + " --help");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> report(e, s.err()));
        return cl;
    }

    /** The exit code and one line for an exception out of a command. */
    static int report(Exception e, PrintStream err) {
        switch (e) {
            case Output.Failed f when f.brokenPipe() -> { return OUTPUT_CLOSED; }
            case Output.Failed f -> {
                err.println(oneLine("lstm: cannot write the output: " + f.getMessage()));
                return OUTPUT_FAILED;
            }
            case DataException d -> err.println(oneLine("lstm: " + d.getMessage()));
            case VectorFileException v -> err.println(oneLine("lstm: " + v.getMessage()));
            case ModelFileException m -> err.println(oneLine("lstm: " + m.getMessage()));
            case ImportException i -> err.println(oneLine("lstm: cannot import: " + i.getMessage()));
            case IllegalArgumentException a -> err.println(oneLine("lstm: " + a.getMessage()));
            case TrainingDiverged d -> err.println(oneLine("lstm: " + d.getMessage()));
            case UncheckedIOException u -> err.println(oneLine("lstm: " + u.getMessage()));
            case IOException io -> err.println(oneLine("lstm: " + (io instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "")
                    + DataException.reason(io)));
            default -> {
                err.println(oneLine("lstm: internal error (" + e + "); please report it with the command line"));
                return FAILED;
            }
        }
        return BAD_INPUT;
    }

    /** Longer messages are cut: a file can make one quote millions of characters (a tensor's dims). */
    static final int MAX_MESSAGE_CHARS = 2000;

    /**
     * A message as one printable line: control characters (a newline, a terminal escape) that a
     * file or a client put into a name are shown as Java escapes (ESC as backslash-u-001b), so an
     * error cannot forge more lines or drive the terminal; cut at {@link #MAX_MESSAGE_CHARS}.
     */
    static String oneLine(String message) {
        StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_CHARS) + 16);
        for (int i = 0; i < message.length(); i++) {
            if (out.length() >= MAX_MESSAGE_CHARS) {
                return out.append("... (").append(message.length() - i).append(" more characters)").toString();
            }
            char ch = message.charAt(i);
            if (Character.isISOControl(ch)) out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
            else out.append(ch);
        }
        return out.toString();
    }

    /** {@code ./lstm} alone: the command list, exit code 2 (nothing was asked). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }
}
