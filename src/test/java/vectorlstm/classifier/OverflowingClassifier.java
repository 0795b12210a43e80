package vectorlstm.classifier;

import java.util.Arrays;
import java.util.List;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/**
 * A text classifier whose weights are all finite (the model file's NaN scan passes) but overflow
 * on every text: its softmax gets two infinite logits and gives NaN, as an imported model with
 * huge weights can. Labels "a" and "b", maxlen 10.
 */
public final class OverflowingClassifier {
    private OverflowingClassifier() {}

    public static TextClassifier create() {
        Tokenizer tokenizer = Tokenizer.builder().numWords(50).build();
        tokenizer.fitOnTexts(List.of("a good film", "a bad film"));
        Sequential m = new Sequential(new Embedding(50, 4, 10), new Lstm(8), new Dense(2, "softmax")).seed(1);
        m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
        List<float[]> w = m.getWeights();  // embedding, LSTM kernel, recurrent kernel, bias, Dense kernel, Dense bias
        Arrays.fill(w.get(0), 1f);
        Arrays.fill(w.get(1), 1f);  // with every input 1, every gate is open and every unit's h is positive
        Arrays.fill(w.get(2), 0f);
        Arrays.fill(w.get(4), 3e38f);  // 8 positive h times 3e38: both logits +Infinity, softmax NaN
        m.setWeights(w);
        return TextClassifier.of(m, tokenizer, TextPreprocessing.NONE, List.of("a", "b"), 10);
    }
}
