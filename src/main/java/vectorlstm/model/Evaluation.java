package vectorlstm.model;

/** The result of {@code evaluate}: mean loss and accuracy over all samples. */
public record Evaluation(double loss, double accuracy, long samples) {}
