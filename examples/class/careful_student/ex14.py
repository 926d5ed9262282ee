# 14번: softmax 와 손실 함수들 (오일석, 기계학습 5장)
import math

import numpy as np


def softmax(x):
    # 최댓값을 빼 주면 exp 가 overflow 되지 않는다 (결과는 같음)
    v = np.asarray(x, dtype=float)
    shifted = v - v.max(axis=-1, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return np.exp(shifted - log_z)


def mse(o, t):
    # 1/2 * sum (o - t)^2
    s = 0.0
    for a, b in zip(np.ravel(o), np.ravel(t)):
        s += (float(a) - float(b)) ** 2
    return s / 2


def cross_entropy(o, t):
    # -sum t_i ln o_i ; t_i = 0 인 항은 0 이므로 건너뛴다 (o_i = 0 이어도 안전)
    loss = 0.0
    for oi, ti in zip(np.ravel(o), np.ravel(t)):
        if ti != 0:
            loss -= float(ti) * math.log(float(oi))
    return loss


def log_likelihood(o, t):
    # 정답 클래스 y (t 에서 1 인 위치) 의 확률에 -log2
    t = list(np.ravel(t))
    y = t.index(max(t))
    return -math.log2(float(np.ravel(o)[y]))
