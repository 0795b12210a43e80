package vectorlstm.spark;

import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The score job's flags. Hand-parsed (ten flags do not need the CLI's picocli on every
 * executor's class path); every mistake is a {@link JobRefusedException} naming the flag.
 */
record JobArguments(Path model, boolean sharedModel, String input, String inputFormat, String textColumn,
                    String labelColumn, String output, String outputPrefix, int batch, int threads) {

    static final String USAGE = """
            usage: spark-submit [spark options] vector-lstm-spark.jar --model M --input PATH --output PATH [options]
              --model M            a vector-lstm model file on the driver; shipped to the executors (checked by SHA-256)
              --shared-model       M is at the same path on every executor (NFS, a volume): read it there, ship nothing
              --input PATH         reviews as Parquet, or CSV with a header line (any Spark path: file:, hdfs:, s3a:)
              --input-format F     parquet or csv (default: csv when PATH ends in .csv, else parquet)
              --text-column NAME   the column with the texts (default: text)
              --label-column NAME  also report the accuracy against this column's true labels (as ./lstm eval)
              --output PATH        where the scored rows go, as Parquet (must not exist): the input's columns,
                                   then label, probability, known_words
              --output-prefix P    name those three P + label, ... (e.g. predicted_: an input with a column label)
              --batch N            rows per call of the batch path (default: 1024)
              --threads N          cores per executor for scoring (default: spark.executor.cores, else all)
            """;

    static JobArguments parse(String... args) {
        Path model = null;
        boolean shared = false;
        String input = null, format = null, text = "text", label = null, output = null, prefix = "";
        int batch = TextScoring.DEFAULT_BATCH, threads = 0;
        args = splitAtEquals(args);
        java.util.Set<String> given = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            // A repeated flag took its last value silently (two --model: which one was scored?).
            if (flag.startsWith("--") && !given.add(flag)) throw new JobRefusedException(flag + " is given twice");
            switch (flag) {
                case "--shared-model" -> shared = true;
                case "--model" -> model = path(value(args, ++i, flag), flag);
                case "--input" -> input = sparkPath(value(args, ++i, flag), flag);
                case "--input-format" -> format = format(value(args, ++i, flag));
                case "--text-column" -> text = value(args, ++i, flag);
                case "--label-column" -> label = value(args, ++i, flag);
                case "--output" -> output = sparkPath(value(args, ++i, flag), flag);
                case "--output-prefix" -> prefix = prefix(value(args, ++i, flag));
                case "--batch" -> batch = bounded(value(args, ++i, flag), flag, 1, MAX_BATCH);
                case "--threads" -> threads = bounded(value(args, ++i, flag), flag, 0, MAX_THREADS);
                default -> throw new JobRefusedException("unknown flag '" + flag + "'");
            }
        }
        if (model == null) throw new JobRefusedException("--model is required");
        if (input == null) throw new JobRefusedException("--input is required");
        if (output == null) throw new JobRefusedException("--output is required");
        if (format == null) format = input.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
        return new JobArguments(model, shared, input, format, text, label, output, prefix, batch, threads);
    }

    /** --flag=value, as the ./lstm CLI takes it, as two arguments (the value kept whole after the first '='). */
    private static String[] splitAtEquals(String[] args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String a : args) {
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            if (eq > 0) {
                out.add(a.substring(0, eq));
                out.add(a.substring(eq + 1));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].isBlank()) throw new JobRefusedException(flag + " needs a value");
        // "--model --input x" took "--input" for the model's path and failed later, confusingly.
        if (args[i].startsWith("--")) throw new JobRefusedException(flag + " needs a value, got the flag " + args[i]);
        return args[i];
    }

    /** Path.of's own refusal (a NUL in the name) is an IllegalArgumentException that JobFailure would not take for the user's. */
    private static Path path(String s, String flag) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new JobRefusedException(flag + ": not a path: " + e.getReason(), e);  // the reason alone: the message repeats the NUL
        }
    }

    /**
     * Hadoop's refusal of a path is an IllegalArgumentException too, thrown later by Spark, that
     * JobFailure would take for a failed job: most often a relative name with a ':' before any '/'
     * ("scores-10:00"), whose start Hadoop reads as a scheme.
     */
    private static String sparkPath(String s, String flag) {
        try {
            new org.apache.hadoop.fs.Path(s);
            return s;
        } catch (IllegalArgumentException e) {
            String why = e.getCause() instanceof URISyntaxException u ? u.getReason() : e.getMessage();
            int colon = s.indexOf(':'), slash = s.indexOf('/');
            String scheme = colon > 0 && (slash < 0 || colon < slash) ? " ('" + s.substring(0, colon + 1) + "' is read as a scheme, as in s3a:)" : "";
            throw new JobRefusedException(flag + " " + s + ": not a path Spark can use: " + why + scheme, e);
        }
    }

    /** Letters, digits and _ only: Parquet refuses some characters in a column's name, and only once every row is scored. */
    private static String prefix(String s) {
        if (!s.matches("[A-Za-z0-9_]{1,64}")) throw new JobRefusedException("--output-prefix must be 1 to 64 letters, digits or _, got '" + s + "'");
        return s;
    }

    private static String format(String s) {
        String f = s.toLowerCase(Locale.ROOT);
        if (!f.equals("parquet") && !f.equals("csv")) throw new JobRefusedException("--input-format must be parquet or csv, got '" + s + "'");
        return f;
    }

    /**
     * Rows a task holds at once (their texts, then their outputs): far above what keeps the
     * kernels busy, and a bound on memory: 2,000,000,000 made every executor run out of heap
     * (Spark's exit 52, retried four times) instead of a one-line refusal.
     */
    static final int MAX_BATCH = 65_536;
    static final int MAX_THREADS = vectorlstm.model.Sequential.MAX_THREADS;

    private static int bounded(String s, String flag, int min, int max) {
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new JobRefusedException(flag + " must be a whole number from " + min + " to " + max + ", got '" + s + "'");
    }
}
