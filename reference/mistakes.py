"""Known wrong answers: real implementations of mistakes a grader should recognise.

``VARIANTS[exercise][mistake][name]`` is a function with the same signature as
the reference's ``name`` that makes exactly that mistake. The answer-key builder
runs them on each case's inputs so that a student's output that matches one can
be named (and hinted at) instead of merely failing. Most come from the seed
write-up; each function's docstring says what it gets wrong.
"""

import numpy as np

from reference import ex01, ex04, ex05, ex06, ex11, ex12, ex14

# ---------------------------------------------------------------- ex01


def _derivative_forward_difference(f, z, eps=1e-6):
    """One-sided (f(z + eps) - f(z)) / eps instead of the centred difference."""
    z = np.asarray(z, dtype=float)
    return (f(z + eps) - f(z)) / eps


# ---------------------------------------------------------------- ex02


def _manual_backward_grad_y_uses_grad_x(x, y, z):
    """The seed's bug: grad_y = grad_a * grad_x (which equals y), not grad_a * x."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    grad_b = np.ones_like(x)
    grad_a, grad_z = grad_b.copy(), grad_b.copy()
    grad_x = grad_a * y
    grad_y = grad_a * grad_x
    return {"grad_a": grad_a, "grad_b": grad_b, "grad_x": grad_x,
            "grad_y": grad_y, "grad_z": grad_z}


# ---------------------------------------------------------------- ex04-ex06
# The tutorial's comment says "10e-6", which is 1e-5, not 1e-6: training diverges.

def _train_manual_10e_6(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Ignores learning_rate and uses 10e-6 (= 1e-5)."""
    return ex04.train_manual(x, y, w1, w2, learning_rate=10e-6, steps=steps)


def _train_autograd_10e_6(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Ignores learning_rate and uses 10e-6 (= 1e-5)."""
    return ex05.train_autograd(x, y, w1, w2, learning_rate=10e-6, steps=steps)


def _train_custom_relu_10e_6(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Ignores learning_rate and uses 10e-6 (= 1e-5)."""
    return ex06.train_custom_relu(x, y, w1, w2, learning_rate=10e-6, steps=steps)


def _train_manual_missing_relu_mask(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Backpropagates through ReLU as if it were the identity (grad_h not masked)."""
    w1, w2 = w1.detach().clone(), w2.detach().clone()
    losses = []
    for _ in range(steps):
        h_relu = x.mm(w1).clamp(min=0)
        y_pred = h_relu.mm(w2)
        losses.append((y_pred - y).pow(2).sum().item())
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_w1 = x.t().mm(grad_y_pred.mm(w2.t()))
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return {"losses": losses, "w1": w1, "w2": w2}


# ---------------------------------------------------------------- ex11


def _mlp_forward_bias_node_zero_row(x, weights, activation="sigmoid"):
    """The seed's bug: every hidden U gets a zero first row, so the bias node is f(0), not 1.

    The input is augmented with 1 once; each hidden layer's padded matrix then
    produces its own "bias" entry f(0 . h) = f(0) (0.5 for sigmoid, 0 for ReLU),
    which the next layer's column 0 multiplies. The output layer is not padded.
    """
    f = {"sigmoid": lambda s: 1.0 / (1.0 + np.exp(-s)),
         "relu": lambda s: np.maximum(0.0, s)}[activation]
    h = np.concatenate(([1.0], np.asarray(x, dtype=float).ravel()))
    *hidden, last = [np.asarray(u, dtype=float) for u in weights]
    for u in hidden:
        h = f(np.vstack([np.zeros(u.shape[1]), u]) @ h)
    return f(last @ h)


# ---------------------------------------------------------------- ex12


def _conv2d_kernel_flipped(image, kernel, stride=1, padding=0):
    """True (mathematical) convolution: the kernel is flipped in both axes."""
    return ex12.conv2d(image, np.asarray(kernel)[::-1, ::-1], stride, padding)


def _conv2d_multi_kernel_flipped(x, kernels, bias, stride=1, padding=0):
    """True (mathematical) convolution: every kernel is flipped in both spatial axes."""
    return ex12.conv2d_multi(x, np.asarray(kernels)[..., ::-1, ::-1], bias, stride, padding)


# ---------------------------------------------------------------- ex13


def _conv_param_count_seed_formula(in_channels, n_filters, kernel_size, bias=True):
    """The seed's 110592 = 3*3*3*64*64: multiplies by n_filters twice and drops the biases."""
    return kernel_size * kernel_size * in_channels * n_filters * n_filters


def _conv_param_count_no_bias(in_channels, n_filters, kernel_size, bias=True):
    """Counts the weights only, forgetting one bias per filter."""
    return kernel_size * kernel_size * in_channels * n_filters


# ---------------------------------------------------------------- ex14


def _log_likelihood_natural_log(o, t):
    """-ln o_y instead of -log2 o_y."""
    return float(-np.log(np.asarray(o, dtype=float)[np.argmax(t)]))


def _softmax_unstable(x):
    """exp(x) / sum(exp(x)) without subtracting the maximum: overflows to NaN for large x."""
    e = np.exp(np.asarray(x, dtype=float))
    return e / np.sum(e, axis=-1, keepdims=True)


VARIANTS = {
    "ex01": {
        "derivative_forward_difference": {"derivative": _derivative_forward_difference},
    },
    "ex02": {
        "grad_y_uses_grad_x": {"manual_backward": _manual_backward_grad_y_uses_grad_x},
    },
    "ex04": {
        "learning_rate_10e-6": {"train_manual": _train_manual_10e_6},
        "missing_relu_mask": {"train_manual": _train_manual_missing_relu_mask},
    },
    "ex05": {
        "learning_rate_10e-6": {"train_autograd": _train_autograd_10e_6},
    },
    "ex06": {
        "learning_rate_10e-6": {"train_custom_relu": _train_custom_relu_10e_6},
    },
    "ex11": {
        "bias_node_zero_row": {"mlp_forward": _mlp_forward_bias_node_zero_row},
    },
    "ex12": {
        "kernel_flipped": {"conv2d": _conv2d_kernel_flipped,
                           "conv2d_multi": _conv2d_multi_kernel_flipped},
    },
    "ex13": {
        "seed_param_formula": {"conv_param_count": _conv_param_count_seed_formula},
        "param_count_no_bias": {"conv_param_count": _conv_param_count_no_bias},
    },
    "ex14": {
        "log_likelihood_natural_log": {"log_likelihood": _log_likelihood_natural_log},
        "softmax_unstable": {"softmax": _softmax_unstable},
    },
}
