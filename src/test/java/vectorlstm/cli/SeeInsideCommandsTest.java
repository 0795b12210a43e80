package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary --trace, explain and plot through the command line, on a model that train wrote. */
class SeeInsideCommandsTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    private static Path model;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void train() throws IOException {
        StringBuilder csv = new StringBuilder("text,label\n");
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            boolean pos = r.nextBoolean();
            csv.append(pos ? "a great fun film" : "a dull boring film").append(r.nextBoolean() ? " indeed" : "").append(',').append(pos ? "pos" : "neg").append('\n');
        }
        Path data = Files.writeString(shared.resolve("d.csv"), csv);
        model = shared.resolve("m.vlstm");
        Result t = run("train", "--data", data.toString(), "--text-column", "text", "--label-column", "label", "--maxlen", "12",
                "--units", "5", "--embedding-dim", "4", "--epochs", "3", "--batch", "16", "--save", model.toString());
        assertEquals(0, t.code(), t.err());
    }

    @Test
    void summaryTracePrintsEveryShapeFromTextToLabel() {
        Result r = run("summary", "--model", model.toString(), "--trace", "--text", "a great film", "--text", "dull");
        assertEquals(0, r.code(), r.err());
        for (String row : new String[] {"ids                 (batch=2, 12)", "embeddings          (batch=2, 12, 4)", "z_t                 (batch=2, 20)",
                "c_t (cell state)    (batch=2, 5)", "probability         (batch=2, 1)", "steps 0-8 are padding"}) {
            assertTrue(r.out().contains(row), row + " in:\n" + r.out());
        }
        Result seed = run("summary", "--trace");
        assertEquals(0, seed.code(), seed.err());
        assertTrue(seed.out().contains("embeddings          (1, 500, 32)"), seed.out());
        assertEquals(2, run("summary", "--text", "x").code(), "--text needs --model and --trace");
    }

    @Test
    void explainWritesOnePageAndRefusesAFolder() throws IOException {
        Path page = dir.resolve("e.html");
        Result r = run("explain", "--model", model.toString(), "--text", "a great <b>fun</b> film", "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + page), r.out());
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("<b>fun"), "escaped, self-contained");
        Result folder = run("explain", "--model", model.toString(), "--text", "x", "--out", dir.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        Result noWord = run("explain", "--model", model.toString(), "--text", "qqq zzz", "--out", dir.resolve("n.html").toString());
        assertEquals(0, noWord.code(), noWord.err());
        assertTrue(Files.readString(dir.resolve("n.html")).contains("No word of this text is in the model's vocabulary"));
    }

    @Test
    void plotDrawsTheSavedHistoryAndCsvTables() throws IOException {
        Path svg = dir.resolve("c.svg");
        Result r = run("plot", "--model", model.toString(), "--out", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(svg).contains("epoch"), "curves");
        Path csv = Files.writeString(dir.resolve("u.csv"), "units,acc\n1,0.83\n8,0.86\n32,0.87\n");
        Result table = run("plot", "--csv", csv.toString(), "--x", "units", "--y", "acc", "--log-x", "--out", dir.resolve("u.svg").toString());
        assertEquals(0, table.code(), table.err());
        Result badColumn = run("plot", "--csv", csv.toString(), "--x", "units", "--y", "nope", "--out", dir.resolve("v.svg").toString());
        assertEquals(2, badColumn.code());
        assertTrue(badColumn.err().contains("no column 'nope'"), badColumn.err());
        assertFalse(Files.exists(dir.resolve("v.svg")));
        assertEquals(2, run("plot", "--out", dir.resolve("w.svg").toString()).code(), "--model or --csv is needed");
        Path old = Path.of("src/test/resources/models/v1-small.vlstm");  // saved before histories were kept
        Result noHistory = run("plot", "--model", old.toString(), "--out", dir.resolve("x.svg").toString());
        assertEquals(2, noHistory.code());
        assertTrue(noHistory.err().contains("has no training history"), noHistory.err());
    }
}
