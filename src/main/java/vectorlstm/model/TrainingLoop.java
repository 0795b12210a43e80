package vectorlstm.model;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Tensor;

/**
 * The batch loops of fit, evaluate and predict over a {@link WorkerPool}: staging, the parallel
 * forward/backward, the gradient reduction and the optimizer step.
 */
final class TrainingLoop {
    private static final Kernels K = KernelProvider.get();

    private final Sequential model;
    private final WorkerPool pool;
    private final List<Parameter> trainable;

    TrainingLoop(Sequential model, WorkerPool pool, List<Parameter> trainable) {
        this.model = model;
        this.pool = pool;
        this.trainable = trainable;
    }

    History fit(Samples x, float[] y, FitOptions o) {
        InputChecks.checkLabelled(x, y, model);
        float[] weights = SampleWeights.of(o, y, model.loss(), model.layers().get(model.layers().size() - 1).outputShape().last());
        float[] valWeights = o.validationWeight();  // validationData's own, if given; class_weight weighs no validation (Keras)
        Samples xVal = o.validationSamples();
        float[] yVal = o.validationY();
        if (xVal != null) {
            InputChecks.checkLabelled(xVal, yVal, model);
            SampleWeights.checkCount(valWeights, yVal.length, "validation ");
        } else if (o.validationSplit() > 0) {
            // Keras' validation_split, cut before any shuffling.
            int nTrain = FitOptions.trainingSamples(x.size(), o.validationSplit());
            if (nTrain < 1 || nTrain >= x.size()) {
                throw new IllegalArgumentException("validation split " + o.validationSplit() + " of " + x.size() + " samples leaves no training or no validation data");
            }
            xVal = x.range(nTrain, x.size());
            yVal = Arrays.copyOfRange(y, nTrain, y.length);
            if (o.sampleWeight() != null) valWeights = Arrays.copyOfRange(weights, nTrain, weights.length);  // Keras splits sample_weight with x and y
            if (weights != null) weights = Arrays.copyOf(weights, nTrain);
            x = x.range(0, nTrain);
            y = Arrays.copyOf(y, nTrain);
        }
        if (o.sortByLength()) checkSortable(x);
        EarlyStopping stopping = o.earlyStopping();
        if (stopping != null && stopping.needsValidation() && xVal == null) {
            throw new IllegalArgumentException("EarlyStopping on " + stopping.monitor() + " needs validation data (FitOptions.validationSplit or validationData; ./lstm train: --validation-split above 0)");
        }
        ReduceLrOnPlateau.Tracker plateau = o.reduceLrOnPlateau() == null ? null : o.reduceLrOnPlateau().start(xVal != null);
        EarlyStopping.Tracker watch = stopping == null ? null : stopping.start();
        boolean stateful = o.checkpoint() != null || o.resume() != null;
        long fingerprint = stateful ? DataFingerprint.of(x, y, xVal, yVal, weights, valWeights) : 0, frozen = stateful ? Resumption.frozenFingerprint(model) : 0;
        History history = new History();
        try (WeightSnapshot best = stopping != null && stopping.restoreBestWeights() ? new WeightSnapshot(trainable) : null) {
            TrainingSequence sequence = model.trainingSequence();
            int firstEpoch = 1;
            boolean stopped = false;
            if (o.resume() != null) {
                Resumed r = resume(o, fingerprint, frozen, x.size(), watch, best, plateau);
                history = r.history();
                firstEpoch = r.epochsDone() + 1;
                stopped = r.stopped();
                if (o.verbose()) {
                    o.log().println("Resuming after epoch " + r.epochsDone() + " of " + o.epochs()
                            + (stopped ? ": early stopping had ended the fit there" : firstEpoch > o.epochs() ? ": every epoch is done" : ""));
                }
            }
            // Without shuffling, the data's own order (the order an earlier fit shuffled is not that).
            int[] order = o.sortByLength() ? byLength(x) : o.shuffle() ? sequence.order(x.size()) : identity(x.size());
            for (int epoch = firstEpoch; !stopped && epoch <= o.epochs(); epoch++) {
                History.Epoch e;
                try {
                    e = runEpoch(epoch, sequence.startEpoch(), x, y, weights, order, sequence.shuffler(), xVal, yVal, valWeights, o);
                } catch (TrainingDiverged d) {
                    // The optimizer's moments took the NaN gradients: the next fit cuts fresh ones.
                    model.optimizerStateSpoiled();
                    // The snapshot of the best epoch so far is still good: leave the model with it, not with NaN.
                    if (best == null || watch.bestEpoch() < 1) throw d.after(history, -1);
                    model.writingWeights(best::restore);
                    history.setRestoredEpoch(watch.bestEpoch());
                    throw d.after(history, watch.bestEpoch());
                }
                history.add(e);
                if (plateau != null) plateau.epochEnded(e, model.optimizer(), o.verbose() ? o.log() : null);
                if (watch != null) {
                    if (watch.improved(epoch, e)) {
                        if (best != null) best.save();
                    } else if (watch.shouldStop(epoch)) {
                        if (o.verbose()) {
                            o.log().println("Epoch " + epoch + ": early stopping (" + (watch.bestEpoch() < 1 ? stopping.monitor() + " was never a number"
                                    : "best " + stopping.monitor() + " " + fmt(watch.best()) + " at epoch " + watch.bestEpoch()) + ")");
                        }
                        stopped = true;
                    }
                }
                if (o.checkpoint() != null) {
                    o.checkpoint().accept(new Resumption(model, trainable).capture(epoch, stopped, fingerprint, frozen, o, history, sequence, watch, best, plateau));
                }
                if (o.onEpochEnd() != null) o.onEpochEnd().accept(e);
            }
            if (best != null && watch.bestEpoch() > 0 && !history.epochs().isEmpty() && watch.bestEpoch() != history.last().epoch()) {
                model.writingWeights(best::restore);
                history.setRestoredEpoch(watch.bestEpoch());
                if (o.verbose()) o.log().println("Restored the weights of epoch " + watch.bestEpoch() + " (" + stopping.monitor() + " " + fmt(watch.best()) + ")");
            }
        }
        return history;
    }

    /** What a resumed fit goes on from, without the state's arrays. */
    private record Resumed(History history, int epochsDone, boolean stopped) {}

    /**
     * Applies the options' state and takes it out of them. In a method of its own so that no frame
     * of the fit keeps the state: its arrays, as large as the weights and the optimizer's state,
     * must not stay on the heap beside each epoch's new checkpoint.
     */
    private Resumed resume(FitOptions o, long fingerprint, long frozen, int samples, EarlyStopping.Tracker watch, WeightSnapshot best,
                           ReduceLrOnPlateau.Tracker plateau) {
        new Resumption(model, trainable).restore(o.resume(), fingerprint, frozen, samples, o, watch, best, plateau);
        TrainingState s = o.takeResume();
        return new Resumed(History.of(s.history().epochs(), -1), s.epochsDone(), s.stopped());
    }

    /** "weight W holds V" for the first trainable weight that is not finite, or null. */
    private String firstNonFiniteWeight() {
        for (Parameter p : trainable) {
            MemorySegment w = p.value().segment();
            for (long i = 0, n = p.size(); i < n; i++) {
                float v = w.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                if (!Float.isFinite(v)) return "weight " + p.name() + " holds " + v;
            }
        }
        return null;
    }

    /** @param epochOfModel the epoch's number over all of the model's fits, which keys its dropout masks */
    private History.Epoch runEpoch(int epoch, int epochOfModel, Samples x, float[] y, float[] weights, int[] order, Random shuffler,
                                   Samples xVal, float[] yVal, float[] valWeights, FitOptions o) {
        int n = x.size(), batch = Math.min(o.batchSize(), n), steps = (n + batch - 1) / batch;  // a batch is never larger than the data (Keras)
        // Sorted by length, batches keep their members and only their order is shuffled (bucketing).
        int[] batchOrder = identity(steps);
        if (o.shuffle() && o.sortByLength()) Shuffle.shuffle(batchOrder, shuffler);
        else if (o.shuffle()) Shuffle.shuffle(order, shuffler);
        PrintStream log = o.log();
        if (o.verbose()) log.println("Epoch " + epoch + "/" + o.epochs());
        ProgressLine progress = new ProgressLine(o.verbose() ? log : null, steps, o.terminal());
        List<Tensor> reduced = reducedGradients();
        double lossSum = 0;
        long correct = 0, seen = 0;
        for (int s = 0; s < steps; s++) {
            int from = batchOrder[s] * batch, b = Math.min(batch, n - from);
            float scale = 1f / b;
            long dropoutKey = dropoutKey(epochOfModel, s);
            int used = pool.run(b, (w, start, count) -> {
                w.stage(x, y, weights, order, from + start, count, true);
                w.trainStep(count, scale, model.loss(), dropoutKey + start);
            });
            for (int w = 0; w < used; w++) {
                lossSum += pool.workers[w].result.lossSum;
                correct += pool.workers[w].result.correct;
            }
            seen += b;
            sumGradients(used, reduced);
            model.writingWeights(() -> model.optimizer().step(trainable, reduced));
            progress.update(s + 1, lossSum / seen, (double) correct / seen);
        }
        double loss = lossSum / seen, acc = (double) correct / seen;
        if (!Double.isFinite(loss)) {
            throw new TrainingDiverged("training diverged: loss is " + loss + " in epoch " + epoch + " (try a lower learning rate or clipnorm)");
        }
        // The losses come before each update, so the epoch's last update is judged here: it alone
        // can leave NaN or infinite weights behind a finite loss (seen with RMSprop at lr 3e38).
        String broken = firstNonFiniteWeight();
        if (broken != null) {
            throw new TrainingDiverged("training diverged: " + broken + " after the last update of epoch " + epoch + " (try a lower learning rate or clipnorm)");
        }
        double valLoss = Double.NaN, valAcc = Double.NaN;
        String extra = "";
        if (xVal != null) {
            Evaluation v = evaluate(xVal, yVal, valWeights, batch);
            valLoss = v.loss();
            valAcc = v.accuracy();
            extra = " - val_loss: " + fmt(valLoss) + " - val_accuracy: " + fmt(valAcc);
        }
        double seconds = progress.finish(loss, acc, extra);
        return new History.Epoch(epoch, loss, acc, valLoss, valAcc, seconds);
    }

    private static String fmt(double v) { return String.format(java.util.Locale.ROOT, "%.4f", v); }

    /** A key per (seed, epoch of the model, batch) for the dropout masks; each worker adds its first row. */
    private long dropoutKey(int epoch, int step) {
        return (model.seed() * 0x9E3779B97F4A7C15L + epoch) * 0xC2B2AE3D27D4EB4FL + (long) step * 1_000_003L;
    }

    /**
     * Sorting by length fixes each batch's members for good (only the batches' order is shuffled),
     * so on samples of one length it would only freeze the data's own order into the batches: data
     * listed by label would train on batches of one label every epoch. Refused there.
     */
    private static void checkSortable(Samples x) {
        if (!(x instanceof Samples.Sequences q)) {
            throw new IllegalArgumentException("sortByLength is for float sequences of varying length; token ids are padded to one length"
                    + " (leave it off: shuffle then mixes the samples in every epoch)");
        }
        int first = q.x()[0].length;
        for (float[][] s : q.x()) if (s.length != first) return;
        throw new IllegalArgumentException("sortByLength: all " + q.size() + " training sequences have " + first
                + " steps, so there is nothing to sort and each batch would keep the data's own order in every epoch (leave it off)");
    }

    /** Sample indices by ascending length (stable): MATLAB's "sort the sequences by length". */
    private static int[] byLength(Samples x) {
        Samples.Sequences q = (Samples.Sequences) x;  // checkSortable let nothing else through
        return java.util.stream.IntStream.range(0, q.size()).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> q.x()[i].length))
                .mapToInt(Integer::intValue).toArray();
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    Evaluation evaluate(Samples x, float[] y, int batch) {
        return evaluate(x, y, null, batch);
    }

    /** @param weights each sample's weight on its loss (evaluate's, or a weighted fit's validation), or null */
    Evaluation evaluate(Samples x, float[] y, float[] weights, int batch) {
        InputChecks.checkLabelled(x, y, model);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < x.size(); from += batch) {
            int b = Math.min(batch, x.size() - from), f = from;
            int used = pool.run(b, (w, start, count) -> {
                w.stage(x, y, weights, null, f + start, count, true);
                w.evalStep(count, model.loss());
            });
            for (int w = 0; w < used; w++) {
                lossSum += pool.workers[w].result.lossSum;
                correct += pool.workers[w].result.correct;
            }
        }
        return new Evaluation(lossSum / x.size(), (double) correct / x.size(), x.size());
    }

    float[] predict(Samples x, int batch) {
        InputChecks.check(x, null, model);
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        float[] out = new float[Math.multiplyExact(x.size(), units)];
        for (int from = 0; from < x.size(); from += batch) {
            int b = Math.min(batch, x.size() - from), f = from;
            pool.run(b, (w, start, count) -> {
                w.stage(x, null, null, f + start, count, false);
                Tensor probs = w.forward(count);
                for (int i = 0; i < count * units; i++) out[(f + start) * units + i] = probs.get(i);
            });
        }
        return out;
    }

    /** Worker 0's gradient tensors, into which the others are added (in worker order). */
    private List<Tensor> reducedGradients() {
        List<Tensor> out = new ArrayList<>();
        for (List<Tensor> layer : pool.workers[0].grads) for (Tensor g : layer) if (g != null) out.add(g);
        return out;
    }

    private void sumGradients(int used, List<Tensor> into) {
        for (int w = 1; w < used; w++) {
            int k = 0;
            for (List<Tensor> layer : pool.workers[w].grads) {
                for (Tensor g : layer) {
                    if (g == null) continue;
                    Tensor dst = into.get(k++);
                    K.axpy(g.size(), 1f, g.segment(), 0, dst.segment(), 0);
                }
            }
        }
    }
}
