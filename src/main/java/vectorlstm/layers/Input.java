package vectorlstm.layers;

import java.util.List;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras' {@code Input(shape=(timesteps, features))} for numeric sequences: the first layer of a
 * model that reads float vectors instead of token ids. {@code timesteps} may be
 * {@link Shape#VARIABLE}: every batch then runs at its own longest sequence, shorter ones padded
 * after their end and masked, so each sequence scores as if it were alone.
 * It computes nothing; it declares the shape and passes the input (and its mask) on.
 */
public final class Input extends Layer {
    private final Shape shape;

    public Input(int timesteps, int features) {
        if (features <= 0) throw new IllegalArgumentException("Input features must be positive, got " + features);
        if ((timesteps <= 0 && timesteps != Shape.VARIABLE) || timesteps > Shape.MAX_STEPS) {
            throw new IllegalArgumentException("Input timesteps must be in [1, " + Shape.MAX_STEPS + "] or Shape.VARIABLE, got " + timesteps);
        }
        this.shape = Shape.of(timesteps, features);
    }

    @Override public String typeName() { return "InputLayer"; }
    @Override public String namePrefix() { return "input_layer"; }
    @Override public Shape declaredInputShape() { return shape; }

    /** The declared steps, or {@link Shape#VARIABLE}. */
    public int timesteps() { return shape.dim(0); }
    public int features() { return shape.dim(1); }

    @Override
    protected Shape doBuild(Shape input) {
        requireRank(input, 2, "Input", "(None, timesteps, features)");
        return input;
    }

    private static final class InputState implements State {
        Tensor mask;
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) { return new InputState(); }

    @Override
    public Tensor forward(State state, Tensor input, Tensor mask, Pass pass) {
        ((InputState) state).mask = mask;
        return input;
    }

    @Override
    public Tensor outputMask(State state) { return ((InputState) state).mask; }

    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int batch) {
        return inputGradientNeeded ? gradOutput : null;
    }
}
