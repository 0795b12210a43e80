package vectorlstm.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the file a model's weights are mapped from was changed in place since it was loaded.
 * A loaded model computes on the mapped file ({@link ModelFile}), so {@code cp new.vlstm
 * model.vlstm} over it changes its weights under it: a file that shrank faults (the JDK's
 * {@code InternalError}, {@link ModelFileException#changedOnDisk}), but one of the same size or
 * larger was read silently, and the answers were neither model's. A new file renamed over the old
 * one ({@code mv}, as saving does) leaves the mapped file as it was: the path then names another
 * file, and the loaded model goes on with the weights it has, rightly.
 *
 * <p>{@link #verify} compares the path's file with what it was at load: the same file (device and
 * inode where the file system tells them) with another size, modification or change time was
 * changed in place. One {@code stat} a call: microseconds beside a scoring call.
 */
public final class MappedFileCheck {
    private final Path file;
    private final Object identity;
    private final Object state;

    private MappedFileCheck(Path file, Object identity, Object state) {
        this.file = file;
        this.identity = identity;
        this.state = state;
    }

    /** What {@code file} is now (call it right after mapping it). */
    public static MappedFileCheck of(Path file) {
        Object[] now = read(file);
        return new MappedFileCheck(file, now[0], now[1]);
    }

    /**
     * @throws ModelFileException the file was changed in place since it was loaded: the weights
     *         read from it are no longer the saved ones
     */
    public void verify() {
        Object[] now = read(file);
        if (now == null || !Objects.equals(now[0], identity)) return;  // gone or renamed over: the mapped file is as it was
        if (!Objects.equals(now[1], state)) {
            throw new ModelFileException("the model file " + file + " was changed in place after it was loaded (copied over?): the weights this"
                    + " process computes on are no longer the saved ones. Replace model files by renaming a new file over them, then load again");
        }
    }

    /** {identity, state} of the file, or null when it cannot be read now (removed: the mapping stays as it was). */
    private static Object[] read(Path file) {
        try {
            try {
                Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
                return new Object[] {java.util.List.of(unix.get("dev"), unix.get("ino")),
                        java.util.List.of(unix.get("size"), unix.get("lastModifiedTime"), unix.get("ctime"))};
            } catch (UnsupportedOperationException | IllegalArgumentException e) {  // no unix view (Windows, which refuses to change a mapped file anyway)
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Object[] {Objects.requireNonNullElse(a.fileKey(), "same"), java.util.List.of(a.size(), a.lastModifiedTime())};
            }
        } catch (IOException e) {
            return null;
        }
    }
}
