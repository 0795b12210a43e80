package vectorlstm.importer.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;

/** ONNX Runtime on the same file: the reference outputs the imported model must reproduce. */
final class OrtReference implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtReference(Path onnx) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        session = env.createSession(onnx.toString(), options);
    }

    /** Outputs [batch][units] for token ids [batch][steps]. */
    float[][] run(int[][] ids) throws OrtException {
        long[][] longs = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) longs[i] = java.util.Arrays.stream(ids[i]).asLongStream().toArray();
        String input = session.getInputNames().iterator().next();
        try (OnnxTensor t = OnnxTensor.createTensor(env, longs); OrtSession.Result r = session.run(Map.of(input, t))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    @Override
    public void close() throws OrtException { session.close(); }
}
