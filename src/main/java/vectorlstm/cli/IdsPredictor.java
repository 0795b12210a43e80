package vectorlstm.cli;

import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Embedding;
import vectorlstm.model.Scorer;
import vectorlstm.text.PadSequences;
import vectorlstm.text.PadSequences.Padding;

/**
 * {@code predict --ids}: a line of token ids in, the model's raw outputs out, as
 * {@code {"outputs":[...]}} (a sigmoid head's probability, a softmax head's vector, whatever the
 * last layer gives). Floats are written with {@link Float#toString}: the shortest decimal that
 * reads back as the same float, so nothing is lost in the text.
 *
 * <p>A fixed-length model takes exactly its length, unless a length is asked for ({@code --maxlen},
 * which must then be the model's): lines are padded and cut as Keras' {@code pad_sequences} does,
 * at the start by default or at the end ({@code --padding post}, {@code --truncating post}; some
 * models were trained post-padded). A variable-length model takes each line as it is, or padded
 * and cut to {@code --maxlen} (an imported Keras file with {@code input_length=None}, or an ONNX
 * graph with a dynamic time axis: the {@link Scorer} then runs each line at its own length).
 *
 * <p>Lines are scored one at a time as they arrive, on one {@link Scorer}: an answer comes out
 * as soon as its line is in, so the command works interactively and in a pipe alike, in input
 * order. (Batching would have to wait for lines that may never come; a single sequence on the
 * latency path costs about what it costs inside a batch on two cores.)
 */
final class IdsPredictor implements AutoCloseable {
    private final int vocabulary;
    private final int modelLength;   // 0: any length
    private final Integer maxlen;    // null: lines as they are
    private final int maxSteps;      // the most ids a line may have on this model (ModelFile.maxSteps)
    private final Padding padding, truncating;
    private final Scorer scorer;
    private final float[] outputs;

    /**
     * @param maxlen the length to pad and cut lines to, or null
     * @throws IllegalArgumentException when the model does not read token ids, or maxlen does not fit it
     */
    IdsPredictor(SavedModel saved, Integer maxlen, Padding padding, Padding truncating) {
        if (!(saved.model().layers().get(0) instanceof Embedding embedding)) {
            throw new IllegalArgumentException("this model reads numeric sequences (it starts with " + saved.model().layers().get(0).typeName()
                    + "), not token ids: --ids needs a model that starts with an Embedding");
        }
        this.vocabulary = embedding.inputDim();
        this.modelLength = saved.maxlen();
        this.maxSteps = ModelFile.maxSteps(saved.model());
        if (maxlen != null) {
            Checks.range("--maxlen", maxlen, 1, ModelFile.MAX_SEQUENCE_LENGTH);
            if (modelLength == 0 && maxlen > maxSteps) throw new IllegalArgumentException("--maxlen " + maxlen + tooLong());
            if (modelLength != 0 && maxlen != modelLength) {
                throw new IllegalArgumentException("--maxlen " + maxlen + " differs from the model's input length " + modelLength
                        + ": it reads exactly " + modelLength + " ids (use --maxlen " + modelLength + " to pad and cut lines to it)");
            }
        }
        this.maxlen = maxlen;
        this.padding = padding;
        this.truncating = truncating;
        this.scorer = saved.model().newScorer();
        this.outputs = new float[scorer.outputs()];
    }

    /** The output line for input line {@code number}: the outputs, or an error that names the line. */
    PredictCommand.Line predict(long number, String line) {
        int[] ids;
        try {
            ids = fitted(TokenIdLine.parse(line, vocabulary));
        } catch (TokenIdLine.BadLine e) {
            return PredictCommand.error(number, e.getMessage());
        }
        scorer.scoreAll(ids, outputs);
        StringBuilder json = new StringBuilder("{\"outputs\":[");
        for (int j = 0; j < outputs.length; j++) {
            if (!Float.isFinite(outputs[j])) return PredictCommand.error(number, "the model's output " + j + " is " + outputs[j] + " (its weights overflow on this input)");
            if (j > 0) json.append(',');
            json.append(outputs[j]);
        }
        return PredictCommand.Line.result(json.append("]}").toString());
    }

    /** The ids padded and cut to --maxlen, or checked against the length the model takes. */
    private int[] fitted(int[] ids) throws TokenIdLine.BadLine {
        if (maxlen != null) return PadSequences.pad(new int[][] {ids}, maxlen, padding, truncating, 0)[0];
        if (modelLength != 0 && ids.length != modelLength) {
            throw new TokenIdLine.BadLine(ids.length + " ids, but the model reads exactly " + modelLength
                    + " (add --maxlen " + modelLength + " to pad or cut lines to that length)");
        }
        if (ids.length > maxSteps) throw new TokenIdLine.BadLine(ids.length + " ids" + tooLong() + " (cut lines with --maxlen)");
        return ids;
    }

    private String tooLong() {
        return maxSteps == ModelFile.MAX_SEQUENCE_LENGTH ? " is more than the limit of " + maxSteps
                : " is more than this model reads: at most " + maxSteps + ModelFile.stepsLimitReason(maxSteps);
    }

    @Override
    public void close() {
        scorer.close();
    }
}
