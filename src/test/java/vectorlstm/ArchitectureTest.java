package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the sources: a plain scan of each main file's
 * imports (and of any {@code vectorlstm.} name written out in the code) rather than a library.
 *
 * <p>Imports point down {@link #LAYERS} only; the engine core (memory, kernels, layers, model) uses
 * nothing but the JDK and commons-math3; generic dataset code does not know IMDB.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src", "main", "java");

    /** Bottom to top: a package may import its own and the ones before it. Sub-packages go with their parent. */
    private static final List<String> LAYERS = List.of("memory", "kernels", "layers", "model", "text", "data", "io", "importer", "classifier", "inspect", "serve", "bench", "cli");
    private static final List<String> CORE = List.of("memory", "kernels", "layers", "model");
    /** The JDK (javax.management: the JVM's own management interface, which kernels.C2Only talks to), ours, commons-math3. */
    private static final List<String> CORE_MAY_USE = List.of("java.", "javax.management.", "jdk.", "vectorlstm.", "org.apache.commons.math3.");

    /**
     * The HTTP transport in data.imdb knows nothing of IMDB, and other sources that download
     * (Japanese Vowels) use it rather than a copy. It belongs in a neutral package; until it moves
     * there, these names and no others of data.imdb are open to generic data code.
     */
    private static final Set<String> DOWNLOAD_TRANSPORT = Set.of("vectorlstm.data.imdb.Downloader",
            "vectorlstm.data.imdb.DownloadProgress", "vectorlstm.data.imdb.HttpDownloader");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])vectorlstm(?:\\.\\w+)+");

    /** One main source file: its package and every name it imports or writes out in full. */
    record Source(Path file, String pkg, List<String> uses) {
        String layer() {
            return layerOf(pkg);
        }
    }

    @Test
    void importsPointDownTheLayerList() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            int own = LAYERS.indexOf(s.layer());
            for (String used : s.uses()) {
                if (used.startsWith("vectorlstm.") && LAYERS.indexOf(layerOf(used)) > own) {
                    violations.add(s.file() + " (" + s.layer() + ") uses " + used + " (" + layerOf(used) + ", above it)");
                }
            }
        }
        assertEquals(List.of(), violations, "imports must point down " + LAYERS);
    }

    @Test
    void engineCoreUsesOnlyTheJdkAndCommonsMath() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (!CORE.contains(s.layer())) continue;
            for (String used : s.uses()) {
                if (CORE_MAY_USE.stream().noneMatch(used::startsWith)) {
                    violations.add(s.file() + " uses " + used);
                }
            }
        }
        assertEquals(List.of(), violations, "the engine core (" + CORE + ") may use only " + CORE_MAY_USE);
    }

    @Test
    void genericDatasetCodeDoesNotKnowImdb() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (!s.pkg().startsWith("vectorlstm.data") || s.pkg().startsWith("vectorlstm.data.imdb")) continue;
            for (String used : s.uses()) {
                if (used.startsWith("vectorlstm.data.imdb") && !DOWNLOAD_TRANSPORT.contains(used)) {
                    violations.add(s.file() + " uses " + used);
                }
            }
        }
        assertEquals(List.of(), violations, "IMDB is one source among others: only vectorlstm.data.imdb and the layers above may use it");
    }

    /** So that a renamed or new package cannot make the rules above pass by matching nothing. */
    @Test
    void everyPackageIsInTheLayerList() {
        Set<String> layers = new TreeSet<>();
        for (Source s : sources()) {
            assertTrue(s.pkg().startsWith("vectorlstm."), s.file() + " is in package " + s.pkg());
            layers.add(s.layer());
        }
        assertEquals(new TreeSet<>(LAYERS), layers, "every top-level package has a place in the layer list");
    }

    @Test
    void theScanSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        Source s = parse(Path.of("X.java"), """
                package vectorlstm.model;

                import java.util.List;
                import static vectorlstm.data.Shuffle.shuffle;
                /* import vectorlstm.cli.Main; */
                // vectorlstm.io.ModelFile in a comment
                class X {
                    String s = "vectorlstm.bench.BenchRunner in a string";
                    Object o = new vectorlstm.text.Tokenizer();
                }
                """);
        assertEquals("model", s.layer());
        assertEquals(List.of("java.util.List", "vectorlstm.data.Shuffle.shuffle", "vectorlstm.text.Tokenizer"), s.uses());
    }

    private static List<Source> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Source> out = files.filter(f -> f.toString().endsWith(".java")).sorted().map(f -> parse(f, read(f))).toList();
            assertTrue(out.size() > 50, "found only " + out.size() + " sources under " + MAIN.toAbsolutePath());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Source parse(Path file, String text) {
        String code = withoutCommentsAndStrings(text);
        Matcher pkg = PACKAGE.matcher(code);
        assertTrue(pkg.find(), file + " has no package line");
        List<String> uses = new ArrayList<>();
        for (Matcher m = IMPORT.matcher(code); m.find(); ) uses.add(m.group(1));
        String body = IMPORT.matcher(code).replaceAll("");
        for (Matcher m = QUALIFIED.matcher(body.substring(body.indexOf(';', pkg.start()) + 1)); m.find(); ) {
            uses.add(m.group());
        }
        return new Source(file, pkg.group(1), uses);
    }

    /** "model" for vectorlstm.model.Scorer, "data" for vectorlstm.data.imdb. */
    static String layerOf(String name) {
        String[] parts = name.split("\\.");
        return parts.length > 1 ? parts[1] : "";
    }

    /** Blanks comments, string and char literals (text blocks included), keeping line breaks. */
    static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                while (end > 0 && s.charAt(end - 1) == '\\') end = s.indexOf("\"\"\"", end + 1);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
