package vectorlstm.importer.keras;

import io.jhdf.AbstractNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.message.DataLayoutMessage.ContiguousDataLayoutMessage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import vectorlstm.importer.ImportException;

/** One stored weight array: where it is in the file, its shape, and its values on demand (read once shapes are checked). */
record KerasWeight(String path, Dataset dataset) {
    /** The largest single weight read: 2^28 floats (1 GiB), far above any text RNN, far below what would exhaust a server. */
    static final long MAX_ELEMENTS = 1L << 28;
    /** The most chunks a chunked weight may be stored in: h5py's own chunk guess gives a few dozen for the largest text RNN. */
    static final long MAX_CHUNKS = 1L << 20;

    int[] shape() { return dataset.isScalar() ? new int[0] : dataset.getDimensions(); }

    float[] values() {
        long n = dataset.getSize();
        if (n > MAX_ELEMENTS) throw new ImportException("weight " + path + " holds " + n + " values, more than the limit of " + MAX_ELEMENTS);
        checkStorage();
        Object flat = dataset.getDataFlat();
        float[] out = switch (flat) {
            case float[] f -> f;
            case double[] d -> {  // float64 weights (rare): read at float32, the engine's precision
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                yield f;
            }
            default -> throw new ImportException("weight " + path + " holds " + dataset.getJavaType().getSimpleName() + " values, expected float32");
        };
        if (out.length != n) throw new ImportException("weight " + path + " holds " + out.length + " values, its shape " + Arrays.toString(shape()) + " says " + n);
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) throw new ImportException("weight " + path + " holds " + out[i] + " at index " + i + ": weights must be finite");
        }
        return out;
    }

    /**
     * A contiguous dataset records where its values are and how many bytes they take; jhdf reads
     * as many bytes as the shape needs. A shape larger than the storage would read on into the
     * bytes after it (other weights, heaps) as weights, a smaller one would drop values: both are
     * a corrupt file, refused before any value is read. (Every Keras weight is contiguous.)
     */
    private void checkStorage() {
        if (dataset.isEmpty()) throw new ImportException("weight " + path + " has shape " + Arrays.toString(shape()) + " but no values stored");
        if (dataset instanceof ChunkedDataset chunked) checkChunks(chunked);
        if (dataset instanceof ContiguousDataset && dataset instanceof AbstractNode node) {
            long stored = node.getHeader().getMessageOfType(ContiguousDataLayoutMessage.class).getSize();
            if (stored != dataset.getSizeInBytes()) {
                throw new ImportException("weight " + path + " has shape " + Arrays.toString(shape()) + " (" + dataset.getSizeInBytes() + " bytes) but stores "
                        + stored + " bytes: corrupt");
            }
        }
    }

    /** HDF5's filter ids the importer reads: h5py's {@code compression="gzip"}, {@code shuffle=True} and {@code fletcher32=True}. */
    private static final int DEFLATE = 1, SHUFFLE = 2, FLETCHER32 = 3;

    /**
     * Keras never chunks its weights, but h5py does when asked to ({@code chunks=}, or any
     * compression), and a file re-saved that way reads as well. A chunk that was never written is
     * simply not in the chunk index, and HDF5 readers (jhdf, h5py) give the fill value, zeros,
     * in its place: a weight written in part would import as a model that silently differs from
     * the one saved. So every chunk of the grid must be there, or the weight is refused, naming
     * the first chunk missing. (Each chunk's stored bytes are read once more for this; an import
     * reads a weight only once otherwise, so it takes at most twice as long.)
     *
     * <p>Each chunk must also decode to exactly a chunk's bytes ({@link #checkDecodedSize}) before
     * jhdf decodes it: its decoders trust the data (gzip grows its output as long as the stream
     * goes on, others allocate what the chunk's first bytes claim), so a few megabytes could ask
     * for gigabytes, and a chunk stored without its filter would be read as floats.
     */
    private void checkChunks(ChunkedDataset chunked) {
        int[] dims = shape(), chunk = chunked.getChunkDimensions();
        if (chunk.length != dims.length) {
            throw new ImportException("weight " + path + " has shape " + Arrays.toString(dims) + " but chunks of " + Arrays.toString(chunk) + ": corrupt");
        }
        long chunks = 1, chunkValues = 1;
        for (int d = 0; d < dims.length; d++) {
            // h5py never makes a fixed-size dataset's chunk larger than the data, and a larger one would let a chunk decode to more than the weight.
            if (chunk[d] <= 0 || chunk[d] > Math.max(dims[d], 1)) {
                throw new ImportException("weight " + path + " has shape " + Arrays.toString(dims) + " but chunks of " + Arrays.toString(chunk) + ": corrupt");
            }
            chunks *= (dims[d] + (long) chunk[d] - 1) / chunk[d];  // at most the element count, itself at most MAX_ELEMENTS
            chunkValues *= chunk[d];  // at most the element count too
        }
        if (chunks > MAX_CHUNKS) {
            throw new ImportException("weight " + path + " is stored in " + chunks + " chunks of " + Arrays.toString(chunk) + ", more than the limit of " + MAX_CHUNKS);
        }
        List<PipelineFilterWithData> filters = chunked.getFilters();
        for (PipelineFilterWithData f : filters) {
            if (f.getId() != DEFLATE && f.getId() != SHUFFLE && f.getId() != FLETCHER32) {
                throw new ImportException("weight " + path + " is stored through the HDF5 filter " + f.getName() + " (id " + f.getId()
                        + "), which the importer does not read (gzip, shuffle and fletcher32 it does; Keras itself stores weights unfiltered)");
            }
        }
        long chunkBytes = chunkValues * (dataset.getSizeInBytes() / Math.max(1, dataset.getSize()));  // the element size
        int[] at = new int[dims.length];
        for (long i = 0; i < chunks; i++) {
            ByteBuffer raw;
            try {
                raw = chunked.getRawChunkBuffer(at.clone());
            } catch (HdfException e) {
                throw new ImportException("weight " + path + ": its chunk at " + Arrays.toString(at) + " is not in the file (" + e.getMessage()
                        + "): the weight was written in part, or the file is corrupt");
            }
            checkDecodedSize(raw, filters, chunkBytes, at);
            for (int d = dims.length - 1; d >= 0; d--) {  // the next chunk's offset, last dimension fastest
                at[d] += chunk[d];
                if (at[d] < dims[d]) break;
                at[d] = 0;
            }
        }
    }

    /**
     * Undoes the filters on the chunk's stored bytes, last applied first (any order h5py or
     * PyTables wrote: fletcher32 first or last, shuffle before or after gzip), and refuses a chunk
     * that does not come out at exactly {@code chunkBytes}. Bytes are decoded only where a gzip
     * stream still to undo reads them; otherwise only their count is kept (gzip's output then goes
     * through a small scratch buffer), and no output may grow past a chunk's bytes.
     */
    private void checkDecodedSize(ByteBuffer raw, List<PipelineFilterWithData> filters, long chunkBytes, int[] at) {
        ByteBuffer data = raw.slice();  // the bytes at this point of the walk; null once only their count matters
        long size = data.remaining(), limit = chunkBytes + 4;  // a fletcher32 checksum may follow the data
        for (int f = filters.size() - 1; f >= 0; f--) {
            boolean read = deflateBefore(filters, f);
            switch (filters.get(f).getId()) {
                case FLETCHER32 -> {  // a 4-byte checksum after the data
                    if (size < 4) throw badChunk(at, "is shorter than its fletcher32 checksum");
                    size -= 4;
                    if (data != null) data = data.slice(0, (int) size);
                }
                case SHUFFLE -> {  // moves bytes, keeps their count
                    if (read) data = unshuffle(data, elementSize(filters.get(f)));
                }
                default -> {  // DEFLATE
                    Inflated out = inflate(data, limit, at, read);
                    size = out.size();
                    data = out.bytes();
                }
            }
        }
        if (size != chunkBytes) {
            throw badChunk(at, "decodes to " + size + " bytes, but a chunk of this weight holds " + chunkBytes
                    + (filters.isEmpty() ? " (stored unfiltered)" : ""));
        }
    }

    /** Whether a gzip filter applied before filter {@code f} (undone after it) will read the bytes {@code f} leaves. */
    private static boolean deflateBefore(List<PipelineFilterWithData> filters, int f) {
        for (int g = 0; g < f; g++) if (filters.get(g).getId() == DEFLATE) return true;
        return false;
    }

    /** The shuffle filter's element size (its first client value, as HDF5 sets it), else the weight's own. */
    private int elementSize(PipelineFilterWithData shuffle) {
        int[] values = shuffle.getFilterData();
        long own = dataset.getSizeInBytes() / Math.max(1, dataset.getSize());
        return values.length > 0 && values[0] > 0 ? values[0] : (int) Math.max(1, own);
    }

    /** HDF5's shuffle undone: byte b of element i was stored at b·count + i; a tail shorter than an element stays as it was. */
    private static ByteBuffer unshuffle(ByteBuffer shuffled, int elementSize) {
        int n = shuffled.remaining(), count = n / elementSize;
        byte[] out = new byte[n];
        for (int b = 0; b < elementSize; b++) {
            for (int i = 0; i < count; i++) out[i * elementSize + b] = shuffled.get(shuffled.position() + b * count + i);
        }
        for (int k = count * elementSize; k < n; k++) out[k] = shuffled.get(shuffled.position() + k);
        return ByteBuffer.wrap(out);
    }

    /** A gzip stream's output: its size, and its bytes when asked for (null otherwise). */
    private record Inflated(long size, ByteBuffer bytes) {}

    /** Inflates {@code deflated}, refused above {@code limit} bytes and when the stream does not end; keeps the output when {@code keep}. */
    private Inflated inflate(ByteBuffer deflated, long limit, int[] at, boolean keep) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            byte[] out = new byte[(int) Math.min(keep ? limit + 1 : 64 * 1024, limit + 1)];
            long total = 0;
            while (!inflater.finished()) {
                int from = keep ? (int) total : 0;
                int n = inflater.inflate(out, from, out.length - from);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw badChunk(at, "is a gzip stream cut short");
                total += n;
                if (total > limit) throw badChunk(at, "inflates to more than its " + (limit - 4) + " bytes (as a compression bomb does)");
            }
            return new Inflated(total, keep ? ByteBuffer.wrap(out, 0, (int) total).slice() : null);
        } catch (DataFormatException e) {
            throw badChunk(at, "is not a readable gzip stream (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private ImportException badChunk(int[] at, String what) {
        return new ImportException("weight " + path + ": its chunk at " + Arrays.toString(at) + " " + what + ": corrupt");
    }
}
