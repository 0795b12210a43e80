package vectorlstm.cli;

import java.io.PrintStream;
import java.util.Set;
import vectorlstm.model.Sequential;

/** {@code ./lstm summary}: the seed model's Keras-style summary. */
final class SummaryCommand {
    static final Set<String> FLAGS = Set.of("num-words", "maxlen");

    private SummaryCommand() {}

    static int run(String[] args, PrintStream out) {
        Flags f = Flags.parse(args, 1, FLAGS);
        try (Sequential model = SeedModel.build(f.positiveInt("num-words", 5000), f.positiveInt("maxlen", 500), 7)) {
            out.print(model.summary());
        }
        return 0;
    }
}
