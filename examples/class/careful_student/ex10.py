"""Exercise 10: a single perceptron realising NOR and AND on {0, 1}^2.

tau(s) = +1 if s >= 0 else -1; true is +1, false is -1.
"""

import numpy as np

NOR_WEIGHTS = ((-1.0, -1.0), 0.5)
AND_WEIGHTS = ((1.0, 1.0), -1.5)


def perceptron(x, w, w0):
    """tau(w . x + w0): an int for x of shape (2,), an int array (n,) for x of shape (n, 2)."""
    s = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + w0
    out = np.where(s >= 0, 1, -1)
    return int(out) if out.ndim == 0 else out
