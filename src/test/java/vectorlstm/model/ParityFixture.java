package vectorlstm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one tensor written by tools/parity/make_fixtures.py: first line the dims (or "-" for a
 * scalar), then the values in row-major order as whitespace-separated tokens.
 */
record ParityFixture(int[] shape, double[] values) {
    static final Path ROOT = Path.of("src", "test", "resources", "parity");

    static ParityFixture read(String set, String name) {
        Path file = ROOT.resolve(set).resolve(name + ".txt");
        try {
            String text = Files.readString(file);
            int nl = text.indexOf('\n');
            String head = text.substring(0, nl).trim();
            int[] shape = head.equals("-") ? new int[0] : Arrays.stream(head.split(" ")).mapToInt(Integer::parseInt).toArray();
            String[] tokens = text.substring(nl + 1).trim().split("\\s+");
            double[] values = new double[tokens.length];
            for (int i = 0; i < tokens.length; i++) values[i] = Float.parseFloat(tokens[i]);
            long expected = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            if (values.length != expected) throw new IllegalStateException(file + ": " + values.length + " values for shape " + Arrays.toString(shape));
            return new ParityFixture(shape, values);
        } catch (IOException e) {
            throw new UncheckedIOException("missing parity fixture " + file + " (run tools/parity/make_fixtures.py)", e);
        }
    }

    float[] floats() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return f;
    }

    int dim(int i) { return shape[i]; }
}
