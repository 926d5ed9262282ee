"""Exercise 14: softmax and three loss functions (Oh, ch. 5).

o is an output vector of probabilities, t a one-hot target. Natural logarithms
everywhere except the log-likelihood, which is measured in bits (log base 2).
"""

import numpy as np


def softmax(x):
    """exp(x) / sum(exp(x)) along the last axis, shifted by the maximum so it cannot overflow."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def mse(o, t):
    """0.5 * sum((o - t)^2)."""
    diff = np.asarray(o, dtype=float) - np.asarray(t, dtype=float)
    return float(0.5 * np.sum(diff ** 2))


def cross_entropy(o, t):
    """-sum(t * ln o); terms with t = 0 contribute 0 even where o = 0."""
    o = np.asarray(o, dtype=float)
    t = np.asarray(t, dtype=float)
    hot = t != 0
    return float(-np.sum(t[hot] * np.log(o[hot])))


def log_likelihood(o, t):
    """-log2 o_y, where y is the index of the 1 in the one-hot target t."""
    o = np.asarray(o, dtype=float)
    return float(-np.log2(o[np.argmax(t)]))
