package vectorlstm.data.imdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A miniature aclImdb: a few reviews per folder, deliberately out of id order, plus the files a
 * loader must skip (unsup reviews, vocabulary, urls, a hidden file).
 */
final class ImdbFixture {
    static final String UNICODE = "Amélie — 素晴らしい 🎬 naïve";

    /** Archive path to content, in the (scrambled) order they are written. */
    static Map<String, String> files() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("aclImdb/README", "Large Movie Review Dataset");
        f.put("aclImdb/imdb.vocab", "the\nand\n");
        // One URL per review of train/pos, as in the real dataset: the loader holds the folder to it.
        f.put("aclImdb/train/urls_pos.txt", "http://example.invalid/1\nhttp://example.invalid/2\nhttp://example.invalid/10\n");
        f.put("aclImdb/train/pos/10_9.txt", "Ten.<br /><br />Great film.");
        f.put("aclImdb/train/pos/2_8.txt", UNICODE);
        f.put("aclImdb/train/neg/1_2.txt", "Dull.<br />Very dull.");
        f.put("aclImdb/train/pos/1_10.txt", "One, loved it");
        f.put("aclImdb/train/unsup/0_0.txt", "unlabeled");
        f.put("aclImdb/train/neg/0_1.txt", "Awful");
        f.put("aclImdb/test/neg/5_3.txt", "meh");
        f.put("aclImdb/test/pos/3_7.txt", "fine<br />film");
        f.put("aclImdb/test/pos/.hidden.txt", "not a review");
        return f;
    }

    static final List<String> TRAIN_TEXTS = List.of("Awful", "Dull.<br />Very dull.", "One, loved it", UNICODE,
            "Ten.<br /><br />Great film.");
    static final int[] TRAIN_LABELS = {0, 0, 1, 1, 1};
    static final List<String> TEST_TEXTS = List.of("meh", "fine<br />film");
    static final int[] TEST_LABELS = {0, 1};

    private ImdbFixture() {
    }

    /** The fixture as a .tar.gz; train/neg/1_2.txt gets a GNU long-name header, the rest plain ones. */
    static TinyTar tar(Map<String, String> files) {
        TinyTar tar = new TinyTar().directory("aclImdb");
        files.forEach((path, content) -> {
            if (path.equals("aclImdb/train/neg/1_2.txt")) {
                tar.gnuLongNameFile(path, content.getBytes(StandardCharsets.UTF_8));
            } else {
                tar.file(path, content);
            }
        });
        // A long-named file outside the labeled folders, which must be skipped.
        tar.file("aclImdb/train/unsup/" + "x".repeat(120) + "_0.txt", "long unlabeled");
        return tar;
    }

    static Path writeArchive(Path file) throws IOException {
        return tar(files()).writeTarGz(file);
    }

    /** The fixture extracted under {@code parent}; returns the aclImdb folder. */
    static Path extract(Path parent, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = parent.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
        }
        return parent.resolve("aclImdb");
    }
}
