# -*- coding: utf-8 -*-
import torch
import matplotlib.pyplot as plt


def train_autograd(x, y, w1, w2, learning_rate=1e-6, steps=500):
    w1 = w1.clone().requires_grad_(True)
    w2 = w2.clone().requires_grad_(True)
    losses = []
    for t in range(steps):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        plt.plot(t, loss.data[0], "b.")
        losses.append(loss.data[0])
        loss.backward()
        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    plt.show()
    return {"losses": losses, "w1": w1, "w2": w2}
