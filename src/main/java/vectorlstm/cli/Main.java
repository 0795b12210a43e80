package vectorlstm.cli;

import java.io.PrintStream;
import vectorlstm.data.DataException;
import vectorlstm.io.ModelFileException;
import vectorlstm.text.vectors.VectorFileException;

/** Entry point of {@code ./lstm}: dispatches the sub-command and turns bad input into exit code 2. */
public final class Main {
    static final String USAGE = """
            usage: ./lstm <command> [flags]
              demo      the Keras IMDB program end to end: train, evaluate, measure scoring latency
                        --data PATH  --epochs N (3)  --batch N (64)  --maxlen N (500)  --num-words N (5000)
                        --seed N (7)  --limit N (balanced sample of N train and N test reviews)  --threads N
              summary   print the seed model's summary, Keras style   [--num-words N] [--maxlen N]
              train     --data PATH [--format imdb|folders|csv|tsv|jsonl] [--text-column C --label-column C]
                        [--embeddings FILE.vec[.gz]|.txt|.bin] [--embeddings-trainable true|false] [--missing-words random|zeros]
                        [--embeddings-learning-rate-scale F (1.0)]
                        [--embedding-dim N (32)] [--num-words N (20000)] [--maxlen N (500)] [--units N (100)] [--epochs N (5)]
                        [--batch N (64)] [--validation-split F (0.1)] [--learning-rate F (0.001)] [--clipnorm F (1.0)]
                        [--patience N (2)] [--monitor val_accuracy|val_loss (val_accuracy)] [--seed N (7)] [--threads N] --save MODEL
              eval      --model MODEL --data PATH [--format ...] [--text-column C --label-column C] [--batch N]
                        (IMDB: the test split; otherwise all of it) -> accuracy, precision/recall/F1, confusion matrix
              predict   --model MODEL [--text "..."]   (else one text per stdin line) -> JSON lines
              bench     [--quick] [--threads N (all cores)] [--out results.json]   speed of the seed model: scoring
                        latency, batch scoring and training throughput, a JVM each (about 2 min; --quick about 30 s)
                        [--lengths 0,50,100,...]  also latency of N real ids after 500-N pads, 1 and 2 threads (~10 s each)
                        [--only NAME,...]  run only these benchmarks
              bench compare BASE.json NEW.json [--threshold 5%]   per benchmark: ratio, CI, Mann-Whitney p, verdict;
                        exit code 1 when one got slower beyond the threshold with p < 0.01
              test      run the test suite (handled by the launcher script)
            demo data: --data, else $VLSTM_DATA (a folder with aclImdb_v1.tar.gz or aclImdb/), else the user
            cache (~/.cache/vector-lstm), else a download of the original archive into that cache.
            train and eval need --data; an IMDB folder given there is found the same way.""";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(args, out, err);
                case "summary" -> SummaryCommand.run(args, out);
                case "train" -> TrainCommand.run(args, out, err);
                case "eval" -> EvalCommand.run(args, out, err);
                case "predict" -> PredictCommand.run(args, System.in, out);
                case "bench" -> BenchCommand.run(args, out, err);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("lstm: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (DataException | VectorFileException | ModelFileException e) {
            err.println("lstm: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("lstm: " + e.getMessage());
            return 2;
        } catch (java.io.UncheckedIOException e) {
            err.println("lstm: " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("lstm: not enough memory (" + e.getMessage() + "); try a smaller --batch, --maxlen or --num-words");
            return 2;
        } catch (IllegalStateException e) {
            err.println("lstm: " + e.getMessage());
            return 1;
        }
    }
}
