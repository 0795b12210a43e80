package vectorlstm.model;

import java.io.PrintStream;
import java.util.ArrayList;
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

    History fit(int[][] x, float[] y, FitOptions o) {
        InputChecks.check(x, y, model);
        int n = x.length, batch = o.batchSize(), steps = (n + batch - 1) / batch;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random shuffler = new Random(model.seed() * 31 + 17);
        List<Tensor> reduced = reducedGradients();
        History history = new History();
        PrintStream log = o.log();
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            if (o.shuffle()) shuffle(order, shuffler);
            if (o.verbose()) log.println("Epoch " + epoch + "/" + o.epochs());
            ProgressLine progress = o.verbose() ? new ProgressLine(log, steps, System.console() != null) : null;
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (int s = 0; s < steps; s++) {
                int from = s * batch, b = Math.min(batch, n - from);
                float scale = 1f / b;
                int used = pool.run(b, (w, start, count) -> {
                    w.stage(x, y, order, from + start, count);
                    w.trainStep(count, scale, model.loss());
                });
                for (int w = 0; w < used; w++) {
                    lossSum += pool.workers[w].result.lossSum;
                    correct += pool.workers[w].result.correct;
                }
                seen += b;
                sumGradients(used, reduced);
                model.optimizer().step(trainable, reduced);
                if (progress != null) progress.update(s + 1, lossSum / seen, (double) correct / seen);
            }
            double loss = lossSum / seen, acc = (double) correct / seen;
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged: loss is " + loss + " in epoch " + epoch + " (try a lower learning rate)");
            }
            double seconds = progress != null ? progress.finish(loss, acc, "") : 0;
            history.add(new History.Epoch(epoch, loss, acc, seconds));
        }
        return history;
    }

    Evaluation evaluate(int[][] x, float[] y, int batch) {
        InputChecks.check(x, y, model);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < x.length; from += batch) {
            int b = Math.min(batch, x.length - from), f = from;
            int used = pool.run(b, (w, start, count) -> {
                w.stage(x, y, null, f + start, count);
                w.evalStep(count, model.loss());
            });
            for (int w = 0; w < used; w++) {
                lossSum += pool.workers[w].result.lossSum;
                correct += pool.workers[w].result.correct;
            }
        }
        return new Evaluation(lossSum / x.length, (double) correct / x.length, x.length);
    }

    float[] predict(int[][] x, int batch) {
        InputChecks.check(x, null, model);
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        float[] out = new float[x.length * units];
        for (int from = 0; from < x.length; from += batch) {
            int b = Math.min(batch, x.length - from), f = from;
            pool.run(b, (w, start, count) -> {
                w.stage(x, null, null, f + start, count);
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

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
