package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ as a reader meets them: every Markdown table keeps its header's number of
 * cells in every row (a script that added a sitting's column once added it to older tables too,
 * shifting their verdicts under the wrong headings), and every relative link names a file that
 * exists.
 */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyTableRowHasItsHeadersCells() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            int header = -1;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("|")) {
                    header = -1;
                    continue;
                }
                int cells = cells(line);
                if (header < 0) {
                    header = cells;
                } else if (cells != header) {
                    wrong.add(doc + ":" + (i + 1) + " has " + cells + " cells, its header " + header);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void relativeLinksNameFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) continue;
                String file = target.replaceFirst("#.*$", "");
                if (!Files.exists(doc.resolveSibling(file))) broken.add(doc + " -> " + target);
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theCheckSeesADamagedTable() {
        assertEquals(3, cells("| a | b | c |"));
        assertEquals(3, cells("| a | `x \\| y` | c |"));
        assertTrue(cells("| a | b | c | d |") != cells("| a | b | c |"));
    }

    /** Cells of a table row: its unescaped pipes less one. */
    private static int cells(String row) {
        return row.replace("\\|", "").split("\\|", -1).length - 2;
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("README.md"));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertFalse(docs.size() < 5, "README.md and docs/*.md should be found from the project folder");
        return docs;
    }
}
