# 12번: 2차원 컨볼루션 직접 구현 (커널을 뒤집지 않는 딥러닝식 = cross-correlation)
# 출력 크기 = floor((H + 2p - kh) / s) + 1
import numpy as np


def _out_len(n, k, stride):
    return (n - k) // stride + 1


def conv2d(image, kernel, stride=1, padding=0):
    img = np.asarray(image, dtype=float)
    ker = np.asarray(kernel, dtype=float)
    if padding > 0:
        H, W = img.shape
        padded = np.zeros((H + 2 * padding, W + 2 * padding))
        padded[padding:padding + H, padding:padding + W] = img
        img = padded
    kh, kw = ker.shape
    oh = _out_len(img.shape[0], kh, stride)
    ow = _out_len(img.shape[1], kw, stride)

    # 커널의 각 칸 (a, b) 마다, 그 칸에 닿는 입력 위치들을 stride 간격으로 잘라서 더한다
    result = np.zeros((oh, ow))
    for a in range(kh):
        for b in range(kw):
            rows = slice(a, a + stride * (oh - 1) + 1, stride)
            cols = slice(b, b + stride * (ow - 1) + 1, stride)
            result += ker[a, b] * img[rows, cols]
    return result


def conv2d_multi(x, kernels, bias, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    bias = np.asarray(bias, dtype=float)
    n_filters, n_channels = kernels.shape[0], kernels.shape[1]

    maps = []
    for k in range(n_filters):
        # 필터 하나 = 채널별 2D 컨볼루션의 합 + 바이어스
        acc = 0.0
        for c in range(n_channels):
            acc = acc + conv2d(x[c], kernels[k][c], stride=stride, padding=padding)
        maps.append(acc + bias[k])
    return np.array(maps)
