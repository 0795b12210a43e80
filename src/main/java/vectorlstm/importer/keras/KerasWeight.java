package vectorlstm.importer.keras;

import io.jhdf.AbstractNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessage;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessageV4;
import io.jhdf.object.message.DataLayoutMessage.ContiguousDataLayoutMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
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
        // (A chunked dataset's isEmpty builds its whole chunk index: readChunks checks the index first, and finds a weight with no chunk.)
        if (!(dataset instanceof ChunkedDataset) && dataset.isEmpty()) throw new ImportException("weight " + path + " has shape " + Arrays.toString(shape()) + " but no values stored");
        // A chunked weight is put together here from the chunks of its grid, each checked as it is
        // decoded: jhdf's whole-array read decodes every record of the chunk index, off the grid
        // too, laying them over the weight in parallel (another answer from one run to the next),
        // and its slice read put partial chunks in the wrong places.
        Object flat = dataset instanceof ChunkedDataset chunked ? readChunks(chunked) : contiguousValues();
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
    private Object contiguousValues() {
        if (dataset instanceof ContiguousDataset && dataset instanceof AbstractNode node) {
            long stored = node.getHeader().getMessageOfType(ContiguousDataLayoutMessage.class).getSize();
            if (stored != dataset.getSizeInBytes()) {
                throw new ImportException("weight " + path + " has shape " + Arrays.toString(shape()) + " (" + dataset.getSizeInBytes() + " bytes) but stores "
                        + stored + " bytes: corrupt");
            }
        }
        return dataset.getDataFlat();
    }

    /** HDF5's filter ids the importer reads: h5py's {@code compression="gzip"}, {@code shuffle=True} and {@code fletcher32=True}. */
    private static final int DEFLATE = 1, SHUFFLE = 2, FLETCHER32 = 3;

    /**
     * Keras never chunks its weights, but h5py does when asked to ({@code chunks=}, or any
     * compression), and a file re-saved that way reads as well. A chunk that was never written is
     * simply not in the chunk index, and HDF5 readers (jhdf, h5py) give the fill value, zeros,
     * in its place: a weight written in part would import as a model that silently differs from
     * the one saved. So every chunk of the grid must be there, or the weight is refused, naming
     * the first chunk missing; and the chunk index may hold no record off the grid.
     *
     * <p>The chunks are decoded here ({@link #decode}), not by jhdf, whose decoders trust the data
     * (gzip grows its output as long as the stream goes on, others allocate what the chunk's first
     * bytes claim: a few megabytes could ask for gigabytes), which skips fletcher32 checksums
     * unchecked, and whose whole-array read takes every record of the index: each chunk must decode
     * to exactly a chunk's bytes, and its checksum must hold.
     */
    private Object readChunks(ChunkedDataset chunked) {
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
        List<PipelineFilterWithData> filters;
        try {
            filters = chunked.getFilters();
        } catch (HdfException e) {  // a filter jhdf has no decoder for (scale-offset, szip, ...): it was reported as a corrupt file
            throw new ImportException("weight " + path + " is stored through an HDF5 filter the importer does not read (" + e.getMessage()
                    + "; gzip, shuffle and fletcher32 it does; Keras itself stores weights unfiltered)", e);
        }
        for (PipelineFilterWithData f : filters) {
            if (f.getId() != DEFLATE && f.getId() != SHUFFLE && f.getId() != FLETCHER32) {
                throw new ImportException("weight " + path + " is stored through the HDF5 filter " + f.getName() + " (id " + f.getId()
                        + "), which the importer does not read (gzip, shuffle and fletcher32 it does; Keras itself stores weights unfiltered)");
            }
        }
        checkChunkIndex(chunks);
        int element = (int) (dataset.getSizeInBytes() / Math.max(1, dataset.getSize()));
        long chunkBytes = chunkValues * element;
        byte[] all = new byte[(int) dataset.getSizeInBytes()];  // at most MAX_ELEMENTS floats
        int[] at = new int[dims.length];
        long gridBytes = 0;
        for (long i = 0; i < chunks; i++) {
            ByteBuffer raw;
            try {
                raw = chunked.getRawChunkBuffer(at.clone());
            } catch (HdfException e) {
                throw new ImportException("weight " + path + ": its chunk at " + Arrays.toString(at) + " is not in the file (" + e.getMessage()
                        + "): the weight was written in part, or the file is corrupt");
            }
            gridBytes += raw.remaining();
            place(decode(raw, filters, chunkBytes, at), at, chunk, dims, element, all);
            for (int d = dims.length - 1; d >= 0; d--) {  // the next chunk's offset, last dimension fastest
                at[d] += chunk[d];
                if (at[d] < dims[d]) break;
                at[d] = 0;
            }
        }
        // Records off the grid: HDF5 (h5py, so Keras) lays them over the weight, where they overlap it.
        long stored = chunked.getStorageInBytes();
        if (stored != gridBytes) {
            throw new ImportException("weight " + path + ": its chunk index holds " + stored + " bytes of chunks, the " + chunks + " chunks of its grid "
                    + gridBytes + ": records off the grid, which HDF5 readers lay over the weight: corrupt");
        }
        if (!(dataset.getDataType() instanceof io.jhdf.object.datatype.FloatingPoint type)) {
            throw new ImportException("weight " + path + " holds " + dataset.getJavaType().getSimpleName() + " values, expected float32");
        }
        return type.fillData(ByteBuffer.wrap(all), new int[] {all.length / element}, null);  // float16, 32 or 64, in the file's byte order
    }

    /**
     * Walks an HDF5 B-tree v1 chunk index (the only kind h5py writes by default) before jhdf reads
     * it: jhdf builds the whole tree the first time a chunk is asked for, following every child
     * pointer, so a 140 KB file whose three levels of 1,024 entries all point at one node asked for
     * a billion records (91 s, then out of memory at 2 GB). Refused: a node reached twice (a
     * loop, or one node listed many times), and more chunk records than the grid has chunks.
     *
     * <p>HDF5 1.10's chunk indexes (single chunk, implicit, fixed array, extensible array, B-tree
     * v2), which h5py writes only with {@code libver="latest"} and Keras never, are refused before
     * jhdf reads them: jhdf places the chunks of an extensible array whose unlimited dimension is
     * not the first, and of an implicit index under a larger maxshape, in the wrong places (a
     * weight imported wrong in 12,652 of 12,800 values, no error), shifts the chunks after a gap,
     * and follows a B-tree v2 with no check for loops or shared nodes.
     */
    private void checkChunkIndex(long gridChunks) {
        if (!(dataset instanceof AbstractNode node)) return;
        if (node.getHeader().hasMessageOfType(ChunkedDataLayoutMessageV4.class)) {
            int kind = node.getHeader().getMessageOfType(ChunkedDataLayoutMessageV4.class).getIndexingType();
            throw new ImportException("weight " + path + " is stored with an HDF5 1.10 chunk index (" + V4_INDEX_KINDS.getOrDefault(kind, "type " + kind)
                    + "), which h5py writes only with libver=\"latest\" and Keras never does; the importer reads chunked weights indexed by a"
                    + " version 1 B-tree, h5py's default (re-save the file with it, or unchunked)");
        }
        if (!node.getHeader().hasMessageOfType(ChunkedDataLayoutMessage.class)) return;
        HdfBackingStorage storage = node.getHdfFile().getHdfBackingStorage();
        long root = node.getHeader().getMessageOfType(ChunkedDataLayoutMessage.class).getBTreeAddress();
        walkChunkIndex(storage, root, -1, 8 + 8 * (shape().length + 1), new HashSet<>(), new long[1], gridChunks);
    }

    /** The chunk-index kinds of data layout message version 4, by their number in the HDF5 file format. */
    private static final java.util.Map<Integer, String> V4_INDEX_KINDS = java.util.Map.of(
            1, "single chunk", 2, "implicit", 3, "fixed array", 4, "extensible array", 5, "version 2 B-tree");

    private void walkChunkIndex(HdfBackingStorage storage, long address, int level, int keySize, Set<Long> seen, long[] records, long gridChunks) {
        int offsets = storage.getSizeOfOffsets();
        if (address < 0 || address >= storage.size()) {
            if (level < 0 && isUndefined(address, offsets)) return;  // no chunk written at all: the missing-chunk check names it
            throw indexCorrupt("points outside the file (" + address + ")");
        }
        if (!seen.add(address)) throw indexCorrupt("reaches the node at " + address + " twice (a loop, or one node listed many times over)");
        ByteBuffer head = storage.readBufferFromAddress(address, 8 + 2 * offsets).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (head.get(0) != 'T' || head.get(1) != 'R' || head.get(2) != 'E' || head.get(3) != 'E' || head.get(4) != 1) throw indexCorrupt("has no chunk-index node at " + address);
        int nodeLevel = head.get(5) & 0xff, entries = head.getShort(6) & 0xffff;
        if (level >= 0 && nodeLevel != level) throw indexCorrupt("has a node of level " + nodeLevel + " under one of level " + (level + 1));
        if (entries > gridChunks) throw indexCorrupt("has a node of " + entries + " entries, more than the " + gridChunks + " chunks of the grid");
        ByteBuffer body = storage.readBufferFromAddress(address + 8 + 2L * offsets, (entries + 1) * keySize + entries * offsets).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int e = 0; e < entries; e++) {
            int at = keySize + e * (keySize + offsets);
            long child = offsets == 8 ? body.getLong(at) : body.getInt(at) & 0xffffffffL;
            if (nodeLevel == 0) {
                if (++records[0] > gridChunks) throw indexCorrupt("lists more chunk records than the " + gridChunks + " chunks of the grid");
            } else {
                walkChunkIndex(storage, child, nodeLevel - 1, keySize, seen, records, gridChunks);
            }
        }
    }

    private static boolean isUndefined(long address, int offsets) {
        return address == -1 || (offsets == 4 && address == 0xffffffffL);
    }

    private ImportException indexCorrupt(String what) {
        return new ImportException("weight " + path + ": its chunk index " + what + ": corrupt");
    }

    /** A decoded chunk's elements copied to their places in the row-major weight; the parts of an edge chunk past the weight's end are left out. */
    private static void place(ByteBuffer chunkData, int[] at, int[] chunk, int[] dims, int element, byte[] all) {
        int rank = dims.length, last = rank - 1;
        int run = rank == 0 ? 1 : Math.min(chunk[last], dims[last] - at[last]);  // elements of a chunk row inside the weight
        int[] local = new int[rank];  // the chunk row's start, the last index 0
        while (true) {
            boolean inside = true;
            long target = 0, source = 0;
            for (int d = 0; d < rank; d++) {
                int g = at[d] + local[d];
                if (g >= dims[d]) inside = false;
                target = target * dims[d] + g;
                source = source * chunk[d] + local[d];
            }
            if (inside) chunkData.get((int) (source * element), all, (int) (target * element), run * element);
            int d = last - 1;
            for (; d >= 0; d--) {
                if (++local[d] < chunk[d]) break;
                local[d] = 0;
            }
            if (d < 0) return;
        }
    }

    /**
     * Undoes the filters on the chunk's stored bytes, last applied first (any order h5py or
     * PyTables wrote: fletcher32 first or last, shuffle before or after gzip), and refuses a chunk
     * that does not come out at exactly {@code chunkBytes} (no output may grow past a chunk's
     * bytes), or whose fletcher32 checksum fails. The chunk's bytes, decoded.
     */
    private ByteBuffer decode(ByteBuffer raw, List<PipelineFilterWithData> filters, long chunkBytes, int[] at) {
        ByteBuffer data = raw.slice();  // the bytes at this point of the walk
        long size = data.remaining(), limit = chunkBytes + 4;  // a fletcher32 checksum may follow the data
        for (int f = filters.size() - 1; f >= 0; f--) {
            switch (filters.get(f).getId()) {
                case FLETCHER32 -> {  // a 4-byte checksum after the data
                    if (size < 4) throw badChunk(at, "is shorter than its fletcher32 checksum");
                    size -= 4;
                    data = checkFletcher32(data, (int) size, at);
                }
                case SHUFFLE -> {  // moves bytes, keeps their count
                    data = unshuffle(data, elementSize(filters.get(f)));
                }
                default -> {  // DEFLATE
                    data = inflate(data, limit, at);
                    size = data.remaining();
                }
            }
        }
        if (size != chunkBytes) {
            throw badChunk(at, "decodes to " + size + " bytes, but a chunk of this weight holds " + chunkBytes
                    + (filters.isEmpty() ? " (stored unfiltered)" : ""));
        }
        return data;
    }

    /**
     * HDF5's fletcher32 filter checked (jhdf skips the 4 bytes unchecked: a flipped byte imported
     * as another weight, where h5py refuses the file): {@code data} is the chunk's bytes at this
     * point of the walk, the checksum after its first {@code size}. HDF5 stores the sum little-endian;
     * files of its versions before 1.6.3 hold it with each 16-bit half byte-swapped, which it accepts too.
     */
    private ByteBuffer checkFletcher32(ByteBuffer data, int size, int[] at) {
        ByteBuffer bytes = data.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int stored = bytes.getInt(size), sum = fletcher32(bytes, size);
        int swapped = ((sum & 0x00ff00ff) << 8) | ((sum >>> 8) & 0x00ff00ff);
        if (stored != sum && stored != swapped) throw badChunk(at, "fails its fletcher32 checksum (stored " + Integer.toHexString(stored) + ", computed " + Integer.toHexString(sum) + ")");
        return bytes.slice(0, size);
    }

    /** HDF5's H5_checksum_fletcher32: 16-bit big-endian words, sums folded every 360 words, an odd last byte as a high byte. */
    static int fletcher32(ByteBuffer data, int length) {
        long sum1 = 0, sum2 = 0;
        int words = length / 2, i = 0;
        while (words > 0) {
            int block = Math.min(words, 360);
            words -= block;
            for (; block > 0; block--, i += 2) {  // uint32 arithmetic, as the C code's (it may wrap)
                sum1 = (sum1 + (((data.get(i) & 0xff) << 8) | (data.get(i + 1) & 0xff))) & 0xffffffffL;
                sum2 = (sum2 + sum1) & 0xffffffffL;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        if (length % 2 == 1) {
            sum1 = (sum1 + ((data.get(i) & 0xff) << 8)) & 0xffffffffL;
            sum2 = (sum2 + sum1) & 0xffffffffL;
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        return (int) ((sum2 << 16) | sum1);
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

    /** Inflates {@code deflated}, refused above {@code limit} bytes and when the stream does not end. */
    private ByteBuffer inflate(ByteBuffer deflated, long limit, int[] at) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            byte[] out = new byte[(int) limit + 1];  // a chunk's bytes and a checksum: at most a weight's
            int total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(out, total, out.length - total);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw badChunk(at, "is a gzip stream cut short");
                total += n;
                if (total > limit) throw badChunk(at, "inflates to more than its " + (limit - 4) + " bytes (as a compression bomb does)");
            }
            return ByteBuffer.wrap(out, 0, total).slice();
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
