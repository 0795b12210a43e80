package vectorlstm.memory;

/**
 * One {@link Tensor#slice} view kept while it is asked for again with the same arguments: a
 * scorer reads the same rows of the same state every call, and a new view each time was garbage
 * per call. Belongs to one layer state (one thread at a time), like the state itself.
 */
public final class CachedSlice {
    private Tensor base, view;
    private long offset;
    private int d0, d1, d2;

    /** {@code of.slice(offset, d0, d1)}, the same object as last time when nothing changed. */
    public Tensor slice(Tensor of, long offset, int d0, int d1) {
        return slice(of, offset, d0, d1, -1);
    }

    /** {@code of.slice(offset, d0, d1, d2)} (rank 2 when {@code d2} is -1), the same object as last time when nothing changed. */
    public Tensor slice(Tensor of, long offset, int d0, int d1, int d2) {
        if (view == null || of != base || offset != this.offset || d0 != this.d0 || d1 != this.d1 || d2 != this.d2) {
            view = d2 < 0 ? of.slice(offset, d0, d1) : of.slice(offset, d0, d1, d2);
            base = of;
            this.offset = offset;
            this.d0 = d0;
            this.d1 = d1;
            this.d2 = d2;
        }
        return view;
    }
}
