"""Exercise 13: convolution arithmetic (CS231n).

Along each spatial axis the output size is (n - k + 2p) / stride + 1; the layer
is invalid when that is not a positive integer. A layer of n_filters kernels of
size k x k over C channels has k*k*C weights per filter plus one bias each.
"""


def _pair(kernel_size):
    """An int k means a square k x k kernel; a pair (kh, kw) is taken as is."""
    try:
        kh, kw = kernel_size
    except TypeError:  # a single number
        return int(kernel_size), int(kernel_size)
    return int(kh), int(kw)


def _output_size(axis, n, k, stride, padding):
    span = n - k + 2 * padding
    if span < 0:
        raise ValueError(
            f"{axis}: a filter of size {k} does not fit in {n} + 2*{padding} = "
            f"{n + 2 * padding} positions, so the output would be empty")
    if span % stride != 0:
        raise ValueError(
            f"{axis}: the filter does not tile the input: (n - k + 2p) / stride = "
            f"({n} - {k} + 2*{padding}) / {stride} = {span / stride:g} is not an integer")
    return span // stride + 1


def conv_output_shape(input_shape, n_filters, kernel_size, stride=1, padding=0):
    """(H, W, C) -> (H', W', n_filters); ValueError when the filter does not tile the input."""
    height, width, _channels = input_shape
    if stride < 1 or padding < 0 or n_filters < 1:
        raise ValueError("stride and n_filters must be >= 1 and padding >= 0")
    kh, kw = _pair(kernel_size)
    return (_output_size("height", height, kh, stride, padding),
            _output_size("width", width, kw, stride, padding),
            n_filters)


def conv_param_count(in_channels, n_filters, kernel_size, bias=True):
    """Number of learnable parameters: weights k*k*C per filter, plus one bias per filter."""
    kh, kw = _pair(kernel_size)
    return kh * kw * in_channels * n_filters + (n_filters if bias else 0)
