"""Exercise 12: 2-D convolution by hand, as deep-learning libraries define it (numpy only).

"Convolution" here is cross-correlation: the kernel is not flipped. Zero padding
is added on every side; the output size is floor((H + 2p - kh) / stride) + 1,
as in torch.nn.functional.conv2d.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d(image, kernel, stride=1, padding=0):
    """Cross-correlate a 2-D image with a 2-D kernel."""
    image = np.pad(np.asarray(image, dtype=float), padding)
    kernel = np.asarray(kernel, dtype=float)
    windows = sliding_window_view(image, kernel.shape)[::stride, ::stride]
    return np.einsum("hwij,ij->hw", windows, kernel)


def conv2d_multi(x, kernels, bias, stride=1, padding=0):
    """x (C, H, W), kernels (K, C, kh, kw), bias (K,) -> (K, H', W')."""
    x = np.asarray(x, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    x = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(x, kernels.shape[2:], axis=(1, 2))[:, ::stride, ::stride]
    out = np.einsum("chwij,kcij->khw", windows, kernels)
    return out + np.asarray(bias, dtype=float)[:, None, None]
