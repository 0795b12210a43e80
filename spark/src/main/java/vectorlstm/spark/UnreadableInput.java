package vectorlstm.spark;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.SparkThrowable;

/**
 * What is wrong with a file of the job's {@code --input} that Spark could not read because of the
 * file itself: not Parquet (a text file, a copy cut short), damaged metadata or column data, a
 * column whose type differs from the input's schema, or a file deleted after Spark listed it; or a
 * path whose scheme no file system reads. Spark meets such a file either on the driver, inferring
 * the schema from the first file, or in a task reading any other; a task's exception reaches the
 * driver as the failure's cause (Spark serialises it). Recognised by Spark's error conditions and
 * their parameters and by the exception types beneath them, not by their wording, except
 * parquet-mr's "is not a Parquet file", which has no type of its own.
 */
final class UnreadableInput {
    /** parquet-mr's words, in its RuntimeException, for a file that does not end with a Parquet footer. */
    private static final String NOT_PARQUET = " is not a Parquet file";
    /** Spark's condition, on the driver, for a footer it could not read, whatever parquet-mr said. */
    private static final String UNREADABLE_FOOTER = "FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER";
    /** Spark's conditions, in a task, for a file it could not read; the parameter "path" names the file. */
    private static final String FAILED_READ = "FAILED_READ_FILE";
    private static final String TYPE_MISMATCH = "FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH";
    private static final String FILE_GONE = "FAILED_READ_FILE.FILE_NOT_EXIST";
    /**
     * Where an exception about a file's bytes comes from: the Parquet readers (parquet-mr's and
     * Spark's own vectorised reader) and the codecs they call. A failing disk or network throws
     * from Hadoop's file systems or the JDK's I/O instead, and stays a failed job even when a
     * Parquet reader wraps it.
     */
    private static final String[] PARQUET_READERS = {"org.apache.parquet.", "org.apache.spark.sql.execution.datasources.parquet."};
    private static final String[] CODECS = {"org.xerial.snappy.", "com.github.luben.zstd.", "io.airlift.compress.", "net.jpountz.",
            "org.apache.hadoop.io.compress.", "java.util.zip.", "com.aayushatharva.brotli4j."};
    /** Thrift's base exception, as parquet-mr shades it (shaded.parquet.org.apache.thrift...): matched by its ending. */
    private static final String THRIFT_EXCEPTION = "org.apache.thrift.TException";

    private UnreadableInput() {}

    /** What is wrong with the input file behind {@code e}, naming it, or null when {@code e} is not that. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // "foo://..." or "s3a://..." without hadoop-aws: Hadoop's "No FileSystem for scheme", met listing the input.
            if (t instanceof UnsupportedFileSystemException) {
                return JobFailure.firstLine(t.getMessage()) + " (no file system of this Spark reads that scheme: a typing mistake,"
                        + " or a connector missing from the class path)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String first = JobFailure.firstLine(t.getMessage());
            int at = first.indexOf(NOT_PARQUET);
            if (at > 0) {
                return first.substring(0, at + NOT_PARQUET.length()) + " (it does not end with a Parquet footer: another format, or a copy cut short;"
                        + " a CSV whose name does not end in .csv needs --input-format csv, and JSON is not read)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof SparkThrowable s) || s.getCondition() == null || !s.getCondition().startsWith(FAILED_READ)) continue;
            var p = s.getMessageParameters();
            if (s.getCondition().equals(UNREADABLE_FOOTER)) {
                return "the Parquet footer of " + p.get("path") + " cannot be read (a damaged file?)" + why(t);  // parquet-mr's, e.g. "can not read FileMetaData"
            }
            if (s.getCondition().equals(TYPE_MISMATCH)) {
                // The schema comes from one file (the first); a file whose column has another type fails only when a task reads it.
                return "its files disagree on the type of column " + p.get("column") + ": " + shown(p.get("path")) + " holds " + p.get("actualType")
                        + " where the input's schema (read from another of its files) has " + p.get("expectedType");
            }
            if (s.getCondition().equals(FILE_GONE)) {
                // Spark lists the input's files once, on the driver, when the job starts; a task met one of them gone.
                return shown(p.get("path")) + " was deleted or moved while the job ran (Spark had listed it when the job started)";
            }
            if (holdsThriftFailure(t)) {
                // Parquet's footer and page headers are Thrift: bytes that do not decode are a damaged file, not a broken job.
                return "the Parquet metadata of " + shown(p.get("path")) + " cannot be read (a damaged file?)" + why(t);
            }
            Throwable pages = damagedPages(t);
            if (pages != null) {
                // A page that does not decompress or decode, e.g. "could not read page Page [...] in col [text] ...: FAILED_TO_UNCOMPRESS(5)".
                return "the column data of " + shown(p.get("path")) + " cannot be read (a damaged file?)" + said(pages) + said(pages.getCause());
            }
        }
        return null;
    }

    /**
     * The innermost of {@code e}'s causes that a Parquet reader threw (by its top stack frame),
     * when the innermost cause of all came from a Parquet reader or a codec: bytes that do not
     * decode. Null otherwise, also when a Parquet reader wrapped an I/O failure.
     */
    private static Throwable damagedPages(Throwable e) {
        Throwable found = null, innermost = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (thrownIn(t, PARQUET_READERS)) found = t;
            innermost = t;
        }
        return found != null && (thrownIn(innermost, PARQUET_READERS) || thrownIn(innermost, CODECS)) ? found : null;
    }

    private static boolean thrownIn(Throwable t, String[] packages) {
        StackTraceElement[] frames = t.getStackTrace();
        if (frames.length == 0) return false;
        for (String p : packages) {
            if (frames[0].getClassName().startsWith(p)) return true;
        }
        return false;
    }

    /** ": " and the first line of {@code t}'s message, or nothing when there is none. */
    private static String said(Throwable t) {
        return t == null || t.getMessage() == null ? "" : ": " + JobFailure.firstLine(t.getMessage());
    }

    /** Whether a Thrift exception is among {@code e}'s causes: parquet-mr could not decode the file's metadata. */
    private static boolean holdsThriftFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().endsWith(THRIFT_EXCEPTION)) return true;
            }
        }
        return false;
    }

    /** parquet-mr's reason, the cause of Spark's exception, e.g. "can not read class org.apache.parquet.format.FileMetaData: ...". */
    private static String why(Throwable sparks) {
        return sparks.getCause() == null ? "" : ": " + JobFailure.firstLine(sparks.getCause().getMessage());
    }

    /**
     * A task's error names the file by its URL-encoded URI ({@code file:///data/a%20b.parquet});
     * shown as Hadoop prints a path ({@code file:/data/a b.parquet}), as the driver's errors do.
     */
    private static String shown(String uri) {
        try {
            return new Path(new URI(uri)).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return uri;
        }
    }
}
