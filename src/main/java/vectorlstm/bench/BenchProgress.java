package vectorlstm.bench;

/** Where a running benchmark reports how far it got: {@code done} of its steps, and what it is doing. */
@FunctionalInterface
public interface BenchProgress {
    void update(int done, String status);
}
