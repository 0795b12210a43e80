package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./lstm train --class-weight: balanced, or LABEL:WEIGHT pairs, on data where one label is rare. */
class TrainClassWeightTest {
    @TempDir Path dir;
    private Path data;

    private record Result(int code, String out, String err) {}

    /** 90 texts labelled neg, 30 labelled pos. */
    @BeforeEach
    void writeData() throws IOException {
        StringBuilder s = new StringBuilder("review,sentiment\n");
        for (int i = 0; i < 120; i++) s.append(i % 4 == 0 ? "great film loved it" : "dull film hated it").append(',').append(i % 4 == 0 ? "pos" : "neg").append('\n');
        data = Files.writeString(dir.resolve("reviews.csv"), s);
    }

    private Result train(String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--epochs", "1", "--batch", "16", "--units", "4", "--embedding-dim", "4", "--maxlen", "5", "--threads", "1",
                "--validation-split", "0", "--save", dir.resolve("m.vlstm").toString()));
        args.addAll(Arrays.asList(flags));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void balancedWeighsEachLabelByHowRareItIs() {
        Result r = train("--class-weight", "balanced");
        assertEquals(0, r.code(), r.err());
        String log = r.out() + r.err();
        // 120 texts, 2 labels: neg 120 / (2 x 90), pos 120 / (2 x 30).
        assertTrue(log.contains("class weights: neg 0.6667, pos 2.000"), log);
    }

    @Test
    void namedLabelsTakeTheirWeightAndTheOthersOne() {
        Result r = train("--class-weight", "pos:3");
        assertEquals(0, r.code(), r.err());
        assertTrue((r.out() + r.err()).contains("class weights: pos 3.000"), r.out() + r.err());
    }

    @Test
    void spacesAroundPairsAreDroppedAndTheCheckpointKeyIgnoresTheOrder() {
        Result r = train("--class-weight", "neg:1, pos:3");
        assertEquals(0, r.code(), r.err());
        assertTrue((r.out() + r.err()).contains("class weights: neg 1.000, pos 3.000"), r.out() + r.err());
        assertEquals(vectorlstm.classifier.ClassWeighting.parse("neg:1,pos:3.0").toString(), vectorlstm.classifier.ClassWeighting.parse("pos:3, neg:1").toString());
        assertEquals("a:b:3.0", vectorlstm.classifier.ClassWeighting.parse("a:b:3").toString(), "a label's own colons stay in it");
    }

    @Test
    void badWeightsAreRefusedByName() {
        Object[][] cases = {
            {"maybe:2", "--class-weight names maybe, which is not a label of the data (its labels: [neg, pos])"},
            {"pos:x", "--class-weight: the weight of pos is not a number: 'x'"},
            {"pos:-1", "the class weight of pos must be a finite number >= 0, got -1.0"},
            {"pos:NaN", "the class weight of pos must be a finite number >= 0, got NaN"},
            {"pos:1e400", "the class weight of pos must be a finite number >= 0, got Infinity"},
            {"pos", "--class-weight takes balanced or LABEL:WEIGHT pairs separated by commas, got 'pos'"},
            {"pos:2,pos:3", "--class-weight names pos twice"},
            {"", "--class-weight needs balanced or LABEL:WEIGHT"},
            // Every class at 0 trained nothing, saved the model, exit 0.
            {"neg:0,pos:0", "--class-weight gives every class of the training texts the weight 0: nothing would be learned"},
        };
        for (Object[] c : cases) {
            Result r = train("--class-weight", (String) c[0]);
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains((String) c[1]), c[0] + ": " + r.err());
            assertTrue(!Files.exists(dir.resolve("m.vlstm")), "nothing saved");
        }
    }
}
