package vectorlstm.text.vectors;

import java.nio.file.Path;

/**
 * A word-vector file that cannot be used as it is. Unchecked because the caller cannot repair
 * the file: the message is what matters, so it always names the file, where in it (line number
 * for text formats, 1-based word index for word2vec binary) and what was wrong.
 */
public final class VectorFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private VectorFileException(String message, Throwable cause) {
        super(message, cause);
    }

    static VectorFileException whole(Path file, String reason) {
        return new VectorFileException(file + ": " + reason, null);
    }

    static VectorFileException atLine(Path file, long line, String reason) {
        return new VectorFileException(file + " line " + line + ": " + reason, null);
    }

    static VectorFileException atWord(Path file, long wordIndex, String reason) {
        return new VectorFileException(file + " word " + wordIndex + ": " + reason, null);
    }

    static VectorFileException corruptGzip(Path file, String where, Throwable cause) {
        // An EOFException need not carry a message (the JDK's gzip reader gave none for a cut trailer).
        String detail = cause.getMessage() != null ? cause.getMessage() : "it ends early";
        return new VectorFileException(file + " " + where + ": truncated or corrupt gzip (" + detail + ")", cause);
    }
}
