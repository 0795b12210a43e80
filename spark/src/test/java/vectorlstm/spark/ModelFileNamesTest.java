package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A shipped model's file name is a name, whatever characters it holds: none of them is read as part of a URI. */
class ModelFileNamesTest {
    @Test
    void modelNamesWithHashPercentAndSpaceAreShippedAndFound() throws Exception {
        // Was: "run#2.vlstm" passed the driver's check, then addFile read "#2.vlstm" as a URI fragment:
        // "File file:/.../run#2.vlstm does not exist" and a stack, exit 1.
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        var texts = LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "good film"), RowFactory.create(2, "bad film")), schema);
        // Not a @TempDir: a file added to the session stays added, and a later test's task may fetch it again (the tests share one session).
        Path dir = Files.createTempDirectory("vlstm-spark-names");
        dir.toFile().deleteOnExit();
        for (String name : new String[] {"run#2.vlstm", "m%41 b.vlstm"}) {
            Path model = Files.copy(TestModels.tiny(), dir.resolve(name));
            model.toFile().deleteOnExit();  // registered after the folder's: deleted before it
            ModelRef ref = DriverModel.ship(LocalSpark.get().sparkContext(), model);
            List<Row> scored = TextScoring.score(texts, "text", ref, 8, 0).rows().collectAsList();
            assertEquals(2, scored.size());
            for (Row r : scored) assertFalse(r.isNullAt(2), name + " scored " + r);
        }
    }
}
