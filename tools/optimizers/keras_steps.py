"""Expected weights for OptimizersTest: three updates of Keras 3's optimizer formulas in float64.

Written from the formulas in keras/src/optimizers/{sgd,rmsprop,adam}.py and base_optimizer.py
(_clip_gradients, _apply_weight_decay), independently of the Java code. Run:
    python3 tools/optimizers/keras_steps.py
and paste the printed arrays into src/test/java/vectorlstm/model/OptimizersTest.java.
"""
import numpy as np

W0 = np.array([0.5, -1.0, 0.25, 2.0, -0.75])
GRADS = [np.array([0.1, -0.4, 1.5, -2.0, 0.05]),
         np.array([-0.3, 0.2, 0.8, -1.0, 0.6]),
         np.array([0.05, -0.9, -0.2, 0.7, 1.2])]


def clip(g, clipvalue=None, clipnorm=None):
    if clipnorm is not None:
        n = np.sqrt(np.sum(g * g))
        return g * clipnorm / max(n, clipnorm)
    if clipvalue is not None:
        return np.clip(g, -clipvalue, clipvalue)
    return g


def sgd(lr, momentum=0.0, nesterov=False, rates=None, **c):
    w, m = W0.copy(), np.zeros(5)
    for t, g in enumerate(GRADS):
        g = clip(g, **c)
        a = rates[t] if rates else lr
        if momentum == 0:
            w = w - g * a
        else:
            m = m * momentum - g * a
            w = w + (m * momentum - g * a if nesterov else m)
    return w


def rmsprop(lr, rho=0.9, momentum=0.0, eps=1e-7, centered=False, **c):
    w, v, avg, mom = W0.copy(), np.zeros(5), np.zeros(5), np.zeros(5)
    for g in GRADS:
        g = clip(g, **c)
        v = rho * v + (1 - rho) * g * g
        if centered:
            avg = rho * avg + (1 - rho) * g
            den = v - avg * avg + eps
        else:
            den = v + eps
        inc = lr * g / np.sqrt(den)
        if momentum > 0:
            mom = momentum * mom + inc
            w = w - mom
        else:
            w = w - inc
    return w


def adam(lr, wd=0.0, b1=0.9, b2=0.999, eps=1e-7, **c):
    w, m, v = W0.copy(), np.zeros(5), np.zeros(5)
    for t, g in enumerate(GRADS, start=1):
        g = clip(g, **c)
        w = w - w * wd * lr                      # base_optimizer._apply_weight_decay, before the step
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        a = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        w = w - m * a / (np.sqrt(v) + eps)
    return w


CASES = {
    "SGD_PLAIN": sgd(0.1),
    "SGD_MOMENTUM": sgd(0.1, momentum=0.9),
    "SGD_NESTEROV": sgd(0.1, momentum=0.9, nesterov=True),
    "SGD_MOMENTUM_CLIPVALUE": sgd(0.1, momentum=0.5, clipvalue=0.5),
    "SGD_CLIPNORM": sgd(0.1, clipnorm=1.0),
    "SGD_STEP_DECAY": sgd(0.1, rates=[0.1, 0.1, 0.05]),  # stepDecay(2, 0.5): steps 0, 1 at 0.1, step 2 at 0.05
    "RMSPROP_PLAIN": rmsprop(0.01),
    "RMSPROP_CENTERED": rmsprop(0.01, centered=True),
    "RMSPROP_MOMENTUM": rmsprop(0.01, momentum=0.9),
    "RMSPROP_CENTERED_MOMENTUM_CLIPVALUE": rmsprop(0.01, momentum=0.5, centered=True, clipvalue=0.5),
    "ADAMW_DEFAULT_DECAY": adam(0.01, wd=0.004),
    "ADAMW_STRONG_DECAY_CLIPVALUE": adam(0.01, wd=0.1, clipvalue=0.5),
    "ADAM_CLIPVALUE": adam(0.01, clipvalue=0.5),
}

for name, w in CASES.items():
    print("    private static final double[] %s = {%s};" % (name, ", ".join("%.10g" % x for x in w)))
