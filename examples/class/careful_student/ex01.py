"""Exercise 1: activation functions and a numerical derivative (numpy).

Every function is elementwise, preserves the input's shape and returns a numpy
scalar for a scalar input. ``logit`` never overflows: it only ever exponentiates
``-|z|``, so inputs of ±1000 give 0 and 1 without NaN or warnings.
"""

import numpy as np


def logit(z):
    """Logistic sigmoid 1 / (1 + e^-z), computed without overflow."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def relu(z):
    """Rectified linear unit max(0, z)."""
    return np.maximum(0.0, np.asarray(z, dtype=float))[()]


def step(z):
    """Step function in its symmetric form: sign(z), with step(0) = 0."""
    return np.sign(np.asarray(z, dtype=float))[()]


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=float))[()]


def derivative(f, z, eps=1e-6):
    """Centred difference (f(z + eps) - f(z - eps)) / (2 eps)."""
    z = np.asarray(z, dtype=float)
    return ((f(z + eps) - f(z - eps)) / (2.0 * eps))[()]
