package vectorlstm.data.imdb;

/**
 * Receives the regular files of a tar archive, in archive order.
 *
 * <p>Split in two calls so that unwanted files (most of an archive, often) are skipped without
 * their bytes ever being copied out of the decompressor into a buffer of their own.
 */
public interface TarVisitor {

    /** Whether {@link #file} should be called for this path; {@code false} skips the content. */
    boolean wants(String path);

    /**
     * Receives a wanted file's content as {@code data[0, length)}. The array is a buffer reused for
     * every file, so copy out (e.g. decode to a String) whatever must outlive this call.
     */
    void file(String path, byte[] data, int length);
}
