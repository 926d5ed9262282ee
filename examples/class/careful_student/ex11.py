# 11번: 은닉층 3개짜리 MLP 의 전방 계산 (오일석, 기계학습 4장 표기)
# U^l 의 0번째 열은 바이어스 가중치 -> 입력 맨 앞에 1 을 붙여서 곱한다.
# (행을 0으로 채우면 바이어스 노드가 f(0) 이 되어버리니 주의)
import math

import numpy as np


def _sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def _relu(s):
    return s if s > 0 else 0.0


def mlp_forward(x, weights, activation="sigmoid"):
    if activation == "sigmoid":
        f = _sigmoid
    elif activation == "relu":
        f = _relu
    else:
        raise ValueError("activation must be 'sigmoid' or 'relu'")

    z = [float(v) for v in np.ravel(x)]
    for U in weights:
        U = np.asarray(U, dtype=float)
        node_values = []
        for j in range(U.shape[0]):
            s = U[j, 0] * 1.0            # 바이어스 노드 값 = 1
            for i, zi in enumerate(z):
                s += U[j, i + 1] * zi
            node_values.append(f(s))
        z = node_values
    return np.array(z)


def squared_error(o, t):
    # E = 1/2 * ||t - o||^2
    total = 0.0
    for oi, ti in zip(np.ravel(o), np.ravel(t)):
        total += (float(ti) - float(oi)) ** 2
    return 0.5 * total
