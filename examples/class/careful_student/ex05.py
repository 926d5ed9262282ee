"""Exercise 5: the two-layer ReLU network of exercise 4, with autograd.

The loss is read with ``loss.item()`` (the seed's ``loss.data[0]`` fails on a
0-dim tensor). The caller's weights are copied, never modified.
"""

import torch


def train_autograd(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Train for ``steps`` updates; return losses (before each update) and final weights."""
    w1 = w1.detach().clone().requires_grad_(True)
    w2 = w2.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return {"losses": losses, "w1": w1.detach(), "w2": w2.detach()}
