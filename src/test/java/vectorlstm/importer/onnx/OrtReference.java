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

    /** Outputs [batch][units] for token ids [batch][steps] (a [batch] output as [batch][1]). */
    float[][] run(int[][] ids) throws OrtException {
        long[][] longs = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) longs[i] = java.util.Arrays.stream(ids[i]).asLongStream().toArray();
        String input = session.getInputNames().iterator().next();
        try (OnnxTensor t = OnnxTensor.createTensor(env, longs); OrtSession.Result r = session.run(Map.of(input, t))) {
            Object out = r.get(0).getValue();
            if (out instanceof float[] perSequence) {  // a [batch] output (sigmoid(...).view(-1)): the engine's [batch, 1]
                float[][] rows = new float[perSequence.length][];
                for (int i = 0; i < rows.length; i++) rows[i] = new float[] {perSequence[i]};
                return rows;
            }
            return (float[][]) out;
        }
    }

    @Override
    public void close() throws OrtException { session.close(); }
}
