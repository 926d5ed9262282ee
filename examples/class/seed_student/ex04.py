# -*- coding: utf-8 -*-
import torch
import matplotlib.pyplot as plt


def train_manual(x, y, w1, w2, learning_rate=1e-6, steps=500):
    w1 = w1.clone()
    w2 = w2.clone()
    losses = []
    for t in range(steps):
        # 순전파 단계 : 예측값 y를 계산한다
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        plt.plot(t, loss.item(), "b.")
        # 손실에 따른 w1, w2의 변화도를 계산하고 역전파 한다.
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h_relu = grad_y_pred.mm(w2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    plt.show()
    return {"losses": losses, "w1": w1, "w2": w2}
