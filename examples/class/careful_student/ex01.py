# 1번: 활성 함수들과 수치 미분 (numpy)
import numpy as np


def _arr(z):
    return np.asarray(z, dtype=np.float64)


def _back(out):
    # 스칼라를 넣으면 스칼라로 돌려준다
    return out[()] if out.ndim == 0 else out


def logit(z):
    # sigmoid = 1 / (1 + e^-z)
    # z가 아주 작으면 e^-z가 overflow 되므로 양수/음수를 따로 계산한다
    z = _arr(z)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])          # z < 0 이므로 e^z 는 0~1 사이
    out[~pos] = ez / (ez + 1.0)
    return _back(out)


def relu(z):
    z = _arr(z)
    return _back(np.where(z > 0, z, 0.0))


def step(z):
    # 부호 함수 형태: 양수 +1, 음수 -1, 0은 0
    z = _arr(z)
    out = np.zeros_like(z)
    out[z > 0] = 1.0
    out[z < 0] = -1.0
    return _back(out)


def tanh(z):
    # tanh(z) = sign(z) * (1 - e^{-2|z|}) / (1 + e^{-2|z|})
    # expm1 을 쓰면 0 근처에서도 정밀도가 유지된다
    z = _arr(z)
    m = np.expm1(-2.0 * np.abs(z))      # e^{-2|z|} - 1, 범위 (-1, 0]
    return _back(np.sign(z) * (-m) / (2.0 + m))


def derivative(f, z, eps=1e-6):
    # 중앙 차분: (f(z+h) - f(z-h)) / 2h
    z = _arr(z)
    upper = f(z + eps)
    lower = f(z - eps)
    return _back(_arr((upper - lower) / (2 * eps)))
