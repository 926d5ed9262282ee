# -*- coding: utf-8 -*-
# 1) U 행렬에 0 행을 추가해서 행렬 곱으로 계산 (numpy를 이용함)
import numpy as np


def sigmoid(s):
    return 1 / (1 + np.exp(-s))


def relu(s):
    return np.maximum(0, s)


def mlp_forward(x, weights, activation="sigmoid"):
    f = sigmoid if activation == "sigmoid" else relu
    h = np.concatenate(([1.0], np.asarray(x, dtype=float)))
    for l, U in enumerate(weights):
        U = np.asarray(U, dtype=float)
        if l < len(weights) - 1:
            U = np.vstack([np.zeros((1, U.shape[1])), U])   # 바이어스 노드를 위한 0 행
        h = f(U @ h)
    return h


def squared_error(o, t):
    return 0.5 * np.sum((np.asarray(t) - np.asarray(o)) ** 2)
