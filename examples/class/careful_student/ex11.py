"""Exercise 11: forward pass of a fully connected MLP in Oh's U^l notation.

Each weight matrix U^l has shape (n_l, n_{l-1} + 1); column 0 multiplies the
bias node, whose value is always 1, so every layer's input is augmented with a
1 at the front. The same activation is used in every layer, output included.
"""

import numpy as np

_ACTIVATIONS = {
    "sigmoid": lambda s: 1.0 / (1.0 + np.exp(-s)),
    "relu": lambda s: np.maximum(0.0, s),
}


def mlp_forward(x, weights, activation="sigmoid"):
    """Output vector o of the network with layer matrices ``weights``."""
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be 'sigmoid' or 'relu', not {activation!r}")
    f = _ACTIVATIONS[activation]
    h = np.asarray(x, dtype=float).ravel()
    for u in weights:
        h = f(np.asarray(u, dtype=float) @ np.concatenate(([1.0], h)))
    return h


def squared_error(o, t):
    """Half the squared Euclidean distance: 0.5 * ||t - o||^2."""
    diff = np.asarray(t, dtype=float) - np.asarray(o, dtype=float)
    return float(0.5 * np.sum(diff ** 2))
