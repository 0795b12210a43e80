package vectorlstm.io;

import java.util.List;
import vectorlstm.model.Sequential;
import vectorlstm.text.Tokenizer;

/**
 * Everything needed to score raw text again: the compiled model (weights restored), the tokenizer
 * fitted at training time (null for models fed ids directly), the class labels in id order, and
 * the sequence length the texts were padded to. Closing it closes the model.
 */
public record SavedModel(Sequential model, Tokenizer tokenizer, List<String> labels, int maxlen) implements AutoCloseable {
    @Override
    public void close() { model.close(); }
}
