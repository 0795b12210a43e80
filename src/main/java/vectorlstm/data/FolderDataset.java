package vectorlstm.data;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads Keras' {@code text_dataset_from_directory} layout: one sub-folder per class, named by
 * its label, holding one UTF-8 {@code .txt} file per example.
 *
 * <pre>
 * dir/
 *   neg/  a.txt b.txt ...
 *   pos/  c.txt ...
 * </pre>
 *
 * <p>Class folders and files are read in code-point order of their names, so the result never
 * depends on the file system. Anything else is skipped with one line in {@link #warnings()} per
 * skipped entry: loose files in {@code dir}, hidden entries (name starting with '.', such as
 * {@code .DS_Store} or {@code .ipynb_checkpoints}), files not ending in {@code .txt} (any case),
 * and folders nested inside a class folder. Keras would read nested folders into the class; we
 * skip them loudly, because a nested folder is as often a stray copy as real data.
 *
 * @param dataset  the loaded examples, labels being the class folder names
 * @param warnings what was skipped and why, in the order met; empty when everything was read
 */
public record FolderDataset(TextDataset dataset, List<String> warnings) {

    public FolderDataset {
        warnings = List.copyOf(warnings);
    }

    /**
     * @throws DataException if {@code dir} is not a folder, holds fewer than two class folders,
     *                       a class folder holds no .txt file, or a file is unreadable or not UTF-8
     */
    public static FolderDataset load(Path dir) {
        return load(dir, 2);
    }

    /**
     * As {@link #load(Path)}, with at least {@code minClasses} class folders: 2 to train on, 1 to
     * evaluate on (a test set of one class is as valid as a CSV of one label).
     */
    public static FolderDataset load(Path dir, int minClasses) {
        if (dir == null) throw new IllegalArgumentException("no data folder given (null)");
        if (!Files.isDirectory(dir)) {
            throw new DataException("not a folder: " + dir.toAbsolutePath()
                    + " (expected one sub-folder per class holding .txt files)");
        }
        List<String> warnings = new ArrayList<>();
        List<Path> classFolders = new ArrayList<>();
        for (Path entry : sortedEntries(dir)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                warnings.add("skipped " + entry + ": hidden");
            } else if (Files.isDirectory(entry)) {
                classFolders.add(entry);
            } else {
                warnings.add("skipped " + entry + ": loose file beside the class folders (only files inside a class folder are read)");
            }
        }
        if (classFolders.size() < minClasses) {
            throw new DataException(dir.toAbsolutePath() + " holds " + classFolders.size()
                    + " class folder(s) " + names(classFolders) + "; expected at least " + (minClasses == 1 ? "one" : "two, one per class") + ", holding .txt files");
        }
        LabelCollector examples = new LabelCollector();
        for (Path classFolder : classFolders) {
            readClass(classFolder, examples, warnings);
        }
        return new FolderDataset(examples.build(), warnings);
    }

    private static void readClass(Path classFolder, LabelCollector examples, List<String> warnings) {
        String label = classFolder.getFileName().toString();
        if (label.indexOf('\uFFFD') >= 0) {
            // The JDK's stand-in for name bytes that are not UTF-8: two such folders (cat\xe8, cat\xe9) would be one class.
            throw new DataException(classFolder + ": a class folder's name is its label, and this one is not valid UTF-8 (shown with \uFFFD where its bytes"
                    + " could not be read; two such names can read the same): rename the folder");
        }
        if (LabelCollector.labelProblem(label) != null) {
            throw new DataException(classFolder + ": a class folder's name is its label, and " + vectorlstm.text.Json.quote(label)
                    + " has spaces or control characters around or in it (it would be a class apart): rename the folder");
        }
        int before = examples.size(), skipped = 0;
        Path nested = null;
        for (Path entry : sortedEntries(classFolder)) {
            String name = entry.getFileName().toString();
            String why = name.startsWith(".") ? "hidden"
                    : Files.isDirectory(entry) ? "nested folder (only files directly in a class folder are read)"
                    : !name.toLowerCase(Locale.ROOT).endsWith(".txt") ? "not a .txt file"
                    : !Files.isRegularFile(entry) ? "not a regular file"
                    : null;
            if (why == null) {
                examples.add(Utf8Text.read(entry), label);
            } else {
                warnings.add("skipped " + entry + ": " + why);
                skipped++;
                nested = nested == null && Files.isDirectory(entry) ? entry : nested;
            }
        }
        if (examples.size() == before) {
            // e.g. data/train/{neg,pos} given as data/: the "classes" are train and test.
            String hint = nested == null ? "" : "; if " + classFolder.getFileName() + "/ holds the class folders, load "
                    + classFolder.toAbsolutePath() + " itself";
            throw new DataException("class folder " + classFolder.toAbsolutePath() + " holds no .txt files"
                    + (skipped > 0 ? " (" + skipped + " other entries skipped)" : "")
                    + "; every class needs at least one example" + hint);
        }
    }

    private static List<Path> sortedEntries(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new DataException("cannot list " + dir.toAbsolutePath() + ": " + DataException.reason(e), e);
        } catch (DirectoryIteratorException e) {
            throw new DataException("cannot list " + dir.toAbsolutePath() + ": " + DataException.reason(e.getCause()), e);
        }
        entries.sort((a, b) -> LabelMap.CODE_POINT_ORDER.compare(a.getFileName().toString(), b.getFileName().toString()));
        return entries;
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }
}
