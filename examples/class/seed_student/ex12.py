import numpy as np


def conv2d(image, kernel, stride=1, padding=0):
    image = np.pad(np.asarray(image, dtype=float), padding)
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out


def conv2d_multi(x, kernels, bias, stride=1, padding=0):
    return np.stack([sum(conv2d(x[c], kernels[k, c], stride, padding) for c in range(x.shape[0])) + bias[k]
                     for k in range(kernels.shape[0])])
