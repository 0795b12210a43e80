package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vectorlstm.classifier.SequenceTraining;

/** What the commands say about themselves (--help), and the README's copy of what summary prints. */
class CommandTextsTest {

    /** stdout of the command, which must succeed. */
    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Help text with its wrapping and columns undone: every run of spaces and line breaks read as one space. */
    private static String unwrapped(String help) {
        return help.replaceAll("\\s+", " ");
    }

    // Before: train's help gave 5 epochs, batch 64 and lstm:100 as the defaults with no word that
    // japanese-vowels trains MATLAB's recipe, and described only Embedding -> LSTM -> Dense on texts.
    @Test
    void trainsHelpGivesTheVowelsRecipesDefaultsBesideTheTextOnes() {
        String help = unwrapped(run("train", "--help"));
        SequenceTraining matlab = SequenceTraining.matlabVowels(7, 1);
        assertTrue(help.contains("at most N epochs (default: 5; " + matlab.epochs() + " with --format japanese-vowels)"), help);
        assertTrue(help.contains("batch size (default: 64; " + matlab.batch() + " with --format japanese-vowels)"), help);
        assertTrue(help.contains("(default: lstm:100; " + matlab.layers() + " with --format japanese-vowels)"), help);
        assertTrue(help.contains("GRU") && help.contains("numeric sequences"), help);
        assertTrue(help.contains("MATLAB's recipe, --layers " + matlab.layers() + ", " + matlab.epochs() + " epochs, batch " + matlab.batch()
                + ", Adam at a constant " + matlab.learningRate() + ";"), help);
        assertFalse(help.contains("(Embedding -> LSTM -> Dense) on labelled texts"), help);
    }

    /**
     * Every command's help is formatted whole. A bare '%' in a description (bench compare's "5% or 5")
     * failed picocli's format: it printed a warning to stderr three times and the raw text, "5%%", in the help.
     */
    @Test
    void everyCommandsHelpIsFormatted() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new Streams(System.in, new Output(new ByteArrayOutputStream()), System.err)), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 12, "every command: " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String help = run(args.toArray(String[]::new));
            assertFalse(help.contains("%%") || help.contains("%n"), String.join(" ", path) + ": " + help);
            assertTrue(help.contains("Usage: lstm"), String.join(" ", path) + ": " + help);
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            List<String> longer = new ArrayList<>(path);
            longer.add(sub.getKey());
            collect(sub.getValue(), longer, into);
        }
    }

    // Before: eval, explain and serve said "a model file written by train"; predict "(or import)"; all four read imported models.
    @Test
    void everyCommandThatReadsAModelSaysImportedOnesWork() {
        for (String command : new String[] {"eval", "explain", "serve", "predict"}) {
            assertTrue(unwrapped(run(command, "--help")).contains("--model=MODEL a model file written by train or import"), command);
        }
    }

    // Before: the footer broke its lines mid-list ("2 bad input,\n3 output not writable, ...").
    @Test
    void theExitCodesAreATableOneCodeALine() {
        String help = run("--help");
        for (String code : new String[] {"0 +done", "1 +slowdown", "2 +bad command line or bad input", "3 +output not writable", "141 +output closed early"}) {
            assertTrue(Pattern.compile("(?m)^ +" + code).matcher(help).find(), code + " at the start of a line:\n" + help);
        }
        assertFalse(Pattern.compile("(?m),$").matcher(help.substring(help.indexOf("Exit codes"))).find(), "a footer line ends mid-list:\n" + help);
    }

    // Before: import's synopsis read [--labels=A,B,...[,A,B,......]]...
    @Test
    void importsSynopsisReadsCleanly() {
        String help = run("import", "--help");
        assertTrue(help.contains("[--labels=NAME[,NAME...]]"), help);
        assertFalse(help.contains("......"), help);
    }

    // Before: summary showed --num-words=<numWords> and --maxlen=<maxlen> where other commands say N.
    @Test
    void summarysNumbersAreNamedNAsElsewhere() {
        String help = run("summary", "--help");
        assertTrue(help.contains("--num-words=N") && help.contains("--maxlen=N"), help);
        assertFalse(help.contains("<"), help);
    }

    // Before: the README's block had one more space before "(None" than the command prints.
    @Test
    void theReadmesSummaryIsWhatTheCommandPrints() throws IOException {
        Matcher block = Pattern.compile("`\\./lstm summary` prints[^\\n]*\\n\\n```\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        assertTrue(block.find(), "README.md: a code block after \"`./lstm summary` prints\"");
        assertEquals(run("summary").replaceAll(" +\\n", "\n"), block.group(1));
    }
}
