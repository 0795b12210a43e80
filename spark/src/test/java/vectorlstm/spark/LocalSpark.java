package vectorlstm.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one {@code local[2]} session per test JVM (a driver and an executor with two
 * task slots in this process), as a 2-core cluster node would run it. No UI, few shuffle partitions.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("vector-lstm-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
