package vectorlstm.importer;

import java.nio.file.Files;
import java.nio.file.Path;
import vectorlstm.TestEnvironment;

/**
 * The real Keras-saved files of {@code ../shared/data/keras-models} (see its README). They are not
 * ours to commit or download: a clone without the shared folder skips the tests that need them;
 * CI has the folder and must run them.
 */
public final class SharedKerasModels {
    private SharedKerasModels() {}

    public static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/keras-models");
            if (Files.isRegularFile(candidate.resolve("README.md"))) return candidate;
            candidate = dir.resolve("../shared/data/keras-models").normalize();
            if (Files.isRegularFile(candidate.resolve("README.md"))) return candidate;
        }
        TestEnvironment.require(false, "the shared Keras model files (../shared/data/keras-models)");
        throw new AssertionError("unreachable");
    }

    public static Path file(String name) {
        Path f = folder().resolve(name);
        TestEnvironment.require(Files.isRegularFile(f), "the shared Keras model file " + f);
        return f;
    }
}
