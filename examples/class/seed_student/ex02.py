# -*- coding: utf-8 -*-
import numpy as np
import torch


def manual_backward(x, y, z):
    # (1) 해당 연산망의 그래프 연산을 손으로 작성
    N, D = x.shape
    grad_c = 1.0
    grad_b = grad_c * np.ones((N, D))
    grad_a = grad_b.copy()
    grad_z = grad_b.copy()
    grad_x = grad_a * y
    grad_y = grad_a * grad_x
    return {"grad_a": grad_a, "grad_b": grad_b, "grad_x": grad_x, "grad_y": grad_y, "grad_z": grad_z}


def autograd_backward(x, y, z):
    x = x.clone().requires_grad_(True)
    y = y.clone().requires_grad_(True)
    a = x * y
    b = a + z
    c = torch.sum(b)
    c.backward()
    return {"c": c.item(), "grad_x": x.grad, "grad_y": y.grad}
