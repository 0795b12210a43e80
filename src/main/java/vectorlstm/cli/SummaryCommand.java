package vectorlstm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.model.Sequential;

/** {@code ./lstm summary}: the seed model's Keras-style summary. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "The seed model's summary, Keras style.")
final class SummaryCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = "--num-words", defaultValue = "5000", description = "vocabulary size (default: ${DEFAULT-VALUE})")
    int numWords;

    @Option(names = "--maxlen", defaultValue = "500", description = "sequence length (default: ${DEFAULT-VALUE})")
    int maxlen;

    SummaryCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        Checks.range("--num-words", numWords, 2, 10_000_000);
        Checks.range("--maxlen", maxlen, 1, 100_000);
        try (Sequential model = SeedModel.build(numWords, maxlen, 7)) {
            io.out().print(model.summary());
        }
        return Main.OK;
    }
}
