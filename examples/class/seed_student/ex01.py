# -*- coding: utf-8 -*-
import numpy as np
import matplotlib.pyplot as plt


def logit(z):
    return 1 / (1 + np.exp(-z))          # 로지스틱 시그모이드 함수


def relu(z):
    return np.maximum(0, z)


def step(z):
    return np.sign(z)


def tanh(z):
    return np.tanh(z)


def derivative(f, z, eps=0.000001):
    return (f(z + eps) - f(z - eps)) / (2 * eps)   # 도함수


z = np.linspace(-5, 5, 200)
plt.plot(z, np.sign(z), "r-", linewidth=2, label="step")
plt.plot(z, np.tanh(z), "b-", linewidth=2, label="tanh")
plt.show()
