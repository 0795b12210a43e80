package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.bench.Reports.STEADY;
import static vectorlstm.bench.Reports.latency;
import static vectorlstm.bench.Reports.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results on disk: reading errors name the file, writing is atomic and never clobbers other files. */
class ReportFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackLeavingNoTemporaryFile() throws IOException {
        Path file = dir.resolve("results.json");
        ReportFile.write(file, report(latency("a", STEADY)));
        assertArrayEquals(STEADY, ReportFile.read(file).benchmarks().get(0).samples());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void readingErrorsNameTheFile() throws IOException {
        Path missing = dir.resolve("missing.json");
        assertEquals(missing + ": no such file", assertThrows(IllegalArgumentException.class, () -> ReportFile.read(missing)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReportFile.read(dir)).getMessage().contains("is a folder"));
        Path binary = Files.write(dir.resolve("model.vlstm"), new byte[] {'V', 'L', (byte) 0xff, (byte) 0xfe});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReportFile.read(binary)).getMessage().contains("not UTF-8"));
        Path truncated = Files.writeString(dir.resolve("t.json"), "{\"machine\":{");
        String message = assertThrows(IllegalArgumentException.class, () -> ReportFile.read(truncated)).getMessage();
        assertTrue(message.startsWith(truncated + " is not a bench results file: invalid JSON"), message);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheJson() throws IOException {
        Path file = dir.resolve("bom.json");
        ReportFile.write(file, Reports.report(Reports.latency("a", 1.0, 1.1, 1.2)));
        Files.writeString(file, "\uFEFF" + Files.readString(file));
        assertEquals("a", ReportFile.read(file).benchmarks().get(0).name());
    }

    @Test
    void refusesToOverwriteAnythingButResults() throws IOException {
        Path results = dir.resolve("old.json");
        ReportFile.write(results, report(latency("a", STEADY)));
        ReportFile.checkReplaceable(results);                 // earlier results may be replaced
        ReportFile.checkReplaceable(dir.resolve("new.json"));  // so may a new file
        Path other = Files.writeString(dir.resolve("reviews.csv"), "text,label\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ReportFile.checkReplaceable(other));
        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
        assertEquals("text,label\n", Files.readString(other));
    }

    @Test
    void aWriteErrorSaysWhichFile() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
        Path target = notAFolder.resolve("r.json");
        var e = assertThrows(UncheckedIOException.class, () -> ReportFile.write(target, report(latency("a", STEADY))));
        assertTrue(e.getMessage().startsWith("cannot write bench results to " + target), e.getMessage());
    }
}
