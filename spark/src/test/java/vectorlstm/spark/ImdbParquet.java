package vectorlstm.spark;

import org.apache.spark.sql.SparkSession;
import vectorlstm.data.TextDataset;

/**
 * Not a test: writes the 25,000 IMDB test reviews as Parquet (id, text, truth) in 8 files, the
 * input of docs/scale-out.md's example runs of the job. Argument: the output folder.
 */
public final class ImdbParquet {
    private ImdbParquet() {}

    public static void main(String[] args) {
        TextDataset test = TestData.imdb().test();
        SparkSession spark = LocalSpark.get();
        spark.createDataFrame(ImdbScoreJobTest.rows(test), ImdbScoreJobTest.REVIEWS).repartition(8).write().parquet(args[0]);
        System.out.println("wrote " + test.size() + " reviews to " + args[0]);
        spark.stop();
    }
}
