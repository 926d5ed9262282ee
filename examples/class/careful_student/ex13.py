# 13번: 컨볼루션 층의 출력 크기와 파라미터 수 (CS231n)
#   출력 = (N - F + 2P) / S + 1  (정수가 아니면 그 설정은 불가능)


def _kernel_hw(kernel_size):
    if isinstance(kernel_size, (tuple, list)):
        return int(kernel_size[0]), int(kernel_size[1])
    return int(kernel_size), int(kernel_size)


def _one_axis(n, f, stride, padding):
    q, r = divmod(n - f + 2 * padding, stride)
    if n - f + 2 * padding < 0:
        raise ValueError("filter (%d) is larger than the padded input (%d)" % (f, n + 2 * padding))
    if r != 0:
        raise ValueError("(%d - %d + 2*%d) / %d is not an integer: the filter does not tile the input"
                         % (n, f, padding, stride))
    return q + 1


def conv_output_shape(input_shape, n_filters, kernel_size, stride=1, padding=0):
    H, W, C = input_shape
    if stride <= 0 or padding < 0:
        raise ValueError("stride must be positive and padding non-negative")
    fh, fw = _kernel_hw(kernel_size)
    out_h = _one_axis(H, fh, stride, padding)
    out_w = _one_axis(W, fw, stride, padding)
    # 출력 깊이 = 필터 개수
    return (out_h, out_w, n_filters)


def conv_param_count(in_channels, n_filters, kernel_size, bias=True):
    fh, fw = _kernel_hw(kernel_size)
    per_filter = fh * fw * in_channels    # 필터 하나의 가중치 수
    if bias:
        per_filter += 1                   # 필터마다 바이어스 1개
    return per_filter * n_filters
