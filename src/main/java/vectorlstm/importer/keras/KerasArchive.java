package vectorlstm.importer.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import vectorlstm.importer.ImportException;

/**
 * The parts of a Keras 3 {@code .keras} archive the importer reads: {@code config.json},
 * {@code metadata.json} (the Keras version, optional) and {@code model.weights.h5} as bytes.
 */
record KerasArchive(String config, String metadata, byte[] weights) {
    /** A model.weights.h5 above this is not a text RNN we can hold; refused before reading it. */
    static final long MAX_WEIGHTS_BYTES = 1L << 30;

    static KerasArchive read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String config = text(zip, "config.json", true);
            String metadata = text(zip, "metadata.json", false);
            ZipEntry w = zip.getEntry("model.weights.h5");
            if (w == null) throw new ImportException(file + ": the .keras archive has no model.weights.h5");
            return new KerasArchive(config, metadata, bytes(zip, w, MAX_WEIGHTS_BYTES));
        } catch (IOException e) {
            throw new ImportException(file + " is not a readable .keras (zip) archive: " + e.getMessage(), e);
        }
    }

    private static String text(ZipFile zip, String name, boolean required) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            if (required) throw new ImportException(zip.getName() + ": the .keras archive has no " + name);
            return null;
        }
        return new String(bytes(zip, e, KerasModelConfig.MAX_CONFIG_CHARS), StandardCharsets.UTF_8);
    }

    /** An entry's bytes, refusing a declared or actual size above {@code limit} (a zip bomb stops at the limit). */
    private static byte[] bytes(ZipFile zip, ZipEntry e, long limit) throws IOException {
        if (e.getSize() > limit) throw new ImportException(zip.getName() + ": " + e.getName() + " is " + e.getSize() + " bytes, more than the limit of " + limit);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] data = in.readNBytes((int) limit + 1);
            if (data.length > limit) throw new ImportException(zip.getName() + ": " + e.getName() + " is more than the limit of " + limit + " bytes");
            return data;
        }
    }
}
