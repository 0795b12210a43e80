package vectorlstm.servecmp;

import java.nio.file.Path;

/**
 * {@code --port N --model FILE [--threads virtual|platform] [--max-threads N]}: the same flags for
 * both servers. {@code --max-threads}: the size of the platform pool (default 200, Jetty's default).
 */
record Options(int port, Path model, boolean virtualThreads, int maxThreads) {
    static Options parse(String[] args) {
        int port = 8080;
        Path model = Path.of("/work/models/imdb-fasttext.vlstm");
        boolean virtual = true;
        int maxThreads = 200;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--model" -> model = Path.of(args[i + 1]);
                case "--threads" -> virtual = switch (args[i + 1]) {
                    case "virtual" -> true;
                    case "platform" -> false;
                    default -> throw new IllegalArgumentException("--threads virtual|platform, not " + args[i + 1]);
                };
                case "--max-threads" -> maxThreads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (args.length % 2 != 0) throw new IllegalArgumentException("flag without a value: " + args[args.length - 1]);
        return new Options(port, model, virtual, maxThreads);
    }
}
