# 출력의 크기 : ((32 - 5 + 2*2) / 1 + 1) * ((32 - 5 + 2*2) / 1 + 1) * (10) = 10240


def conv_output_shape(input_shape, n_filters, kernel_size, stride=1, padding=0):
    H, W, C = input_shape
    out_h = (H - kernel_size + 2 * padding) / stride + 1
    out_w = (W - kernel_size + 2 * padding) / stride + 1
    if out_h != int(out_h) or out_w != int(out_w):
        raise ValueError("filter does not fit")
    return (int(out_h), int(out_w), n_filters)


def conv_param_count(in_channels, n_filters, kernel_size, bias=True):
    # 매개변수의 수 : (3 * 3 * 3) * 64 + 64 = 110592  (이렇게 계산함)
    return kernel_size * kernel_size * in_channels * n_filters * n_filters
