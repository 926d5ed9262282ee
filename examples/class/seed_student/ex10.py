import numpy as np


def perceptron(x, w, w0):
    s = np.dot(np.asarray(x, dtype=float), np.asarray(w, dtype=float)) + w0
    return np.where(s >= 0, 1, -1)


NOR_WEIGHTS = ((-1.0, -1.0), 0.5)
AND_WEIGHTS = ((1.0, 1.0), -1.5)
